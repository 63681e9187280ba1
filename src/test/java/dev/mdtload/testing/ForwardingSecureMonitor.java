package dev.mdtload.testing;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.MetadataBuffer;
import dev.mdtload.scm.ScmCall;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SimSecureMonitor;

import java.io.IOException;
import java.nio.file.Path;

/** The simulated secure world with every call passed on: test decorators override what they watch or change. */
public class ForwardingSecureMonitor implements SecureMonitor {
    protected final SimSecureMonitor sim;

    public ForwardingSecureMonitor(SimSecureMonitor sim) {
        this.sim = sim;
    }

    @Override
    public ScmResult invoke(ScmCall call) throws UsageFailure, IOException {
        return sim.invoke(call);
    }

    @Override
    public void attach(PhysAddr base, long size, Path backingFile, long backingOffset) throws IOException {
        sim.attach(base, size, backingFile, backingOffset);
    }

    @Override
    public boolean authenticates() {
        return sim.authenticates();
    }

    @Override
    public MetadataBuffer allocateMetadata(long size) throws IOException {
        return sim.allocateMetadata(size);
    }

    @Override
    public void close() throws IOException {
        sim.close();
    }
}
