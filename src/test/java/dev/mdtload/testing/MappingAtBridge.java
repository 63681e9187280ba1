package dev.mdtload.testing;

import dev.mdtload.failure.Failure;
import dev.mdtload.scm.PasCall;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.SimSecureMonitor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.nio.file.StandardOpenOption.READ;

/**
 * The simulated secure world, with the carveout file mapped into this process right before the
 * SHM bridge is made and kept mapped until it is closed: what a loader that skipped its unmap would
 * leave alive at auth_and_reset. Remembers every PAS command passed on.
 */
public final class MappingAtBridge extends ForwardingSecureMonitor {
    private final Path carveout;
    private final Arena arena = Arena.ofShared();
    private final List<PasCommand> commands = new ArrayList<>();

    public MappingAtBridge(SimSecureMonitor sim, Path carveout) {
        super(sim);
        this.carveout = carveout;
    }

    @Override
    public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
        commands.add(call.command());
        if (call instanceof PasCall.ShmBridgeCreate) {
            try (FileChannel channel = FileChannel.open(carveout, READ)) {
                channel.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(carveout), arena);
            }
        }
        return sim.call(convention, call);
    }

    public List<PasCommand> commands() {
        return List.copyOf(commands);
    }

    public SimSecureMonitor simulation() {
        return sim;
    }

    @Override
    public void close() throws IOException {
        arena.close();
        sim.close();
    }
}
