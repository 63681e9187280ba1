package dev.mdtload.testing;

import dev.mdtload.failure.Failure;
import dev.mdtload.scm.MetadataBuffer;
import dev.mdtload.scm.PasCall;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SimSecureMonitor;

import java.io.IOException;

/** The simulated secure world with every call passed on: test decorators override what they watch or change. */
public class ForwardingSecureMonitor implements SecureMonitor {
    protected final SimSecureMonitor sim;

    public ForwardingSecureMonitor(SimSecureMonitor sim) {
        this.sim = sim;
    }

    @Override
    public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
        return sim.call(convention, call);
    }

    @Override
    public String explain(PasCall call) {
        return sim.explain(call);
    }

    @Override
    public boolean authenticates() {
        return sim.authenticates();
    }

    @Override
    public MetadataBuffer allocateMetadata(long size) throws IOException, Failure {
        return sim.allocateMetadata(size);
    }

    @Override
    public void close() throws IOException {
        sim.close();
    }
}
