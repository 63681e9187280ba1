package dev.mdtload.testing;

import dev.mdtload.failure.Failure;
import dev.mdtload.scm.PasCall;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Wraps the simulated secure world a load opens: optionally flips one byte of the carveout's file
 * just before auth_and_reset reaches the simulation (through the file, not a mapping, as another
 * bus master scribbling on the carveout would), and remembers what the
 * simulation had seen by the time the load closed it: how many calls, and the peripheral's state.
 */
public final class SimProbe implements UnaryOperator<SecureMonitor> {
    private final long pasId;
    private final Optional<Flip> flip;
    private boolean opened;
    private long calls;
    private PeripheralState state;
    private final List<PasCommand> commands = new ArrayList<>();

    /** The byte at {@code offset} of {@code file}. */
    private record Flip(Path file, long offset) {}

    private SimProbe(long pasId, Optional<Flip> flip) {
        this.pasId = pasId;
        this.flip = flip;
    }

    /** Only watches. */
    public static SimProbe watching(long pasId) {
        return new SimProbe(pasId, Optional.empty());
    }

    /** Inverts the byte at {@code offset} of the carveout {@code file} right before auth_and_reset is passed on. */
    public static SimProbe flippingBeforeAuth(long pasId, Path file, long offset) {
        return new SimProbe(pasId, Optional.of(new Flip(file, offset)));
    }

    @Override
    public SecureMonitor apply(SecureMonitor monitor) {
        if (!(monitor instanceof SimSecureMonitor sim)) {
            throw new IllegalArgumentException("probes the simulated secure world only, not " + monitor);
        }
        opened = true;
        return new Probed(sim);
    }

    /** Whether the load opened the secure world at all. */
    public boolean opened() {
        return opened;
    }

    /** Calls that reached the simulation (SimSecureMonitor.callCount()) when the load closed it; 0 if never opened. */
    public long calls() {
        return calls;
    }

    /** The peripheral's state in the simulation when the load closed it. */
    public PeripheralState state() {
        return state;
    }

    /** The PAS commands the load asked for, in order (whatever the simulation answered). */
    public List<PasCommand> commands() {
        return List.copyOf(commands);
    }

    /** Inverts the byte at {@code offset} of {@code file} in place, through the file, not a mapping. */
    public static void invertByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ, WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) ~one.get(0));
            channel.write(one.rewind(), offset);
        }
    }

    private final class Probed extends ForwardingSecureMonitor {
        Probed(SimSecureMonitor sim) {
            super(sim);
        }

        @Override
        public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
            commands.add(call.command());
            if (flip.isPresent() && call instanceof PasCall.AuthAndReset) {
                invertByte(flip.get().file(), flip.get().offset());
            }
            return sim.call(convention, call);
        }

        @Override
        public void close() throws IOException {
            try {
                calls = sim.callCount();
                state = sim.state(pasId);
            } finally {
                // the simulation is one per process: a probe that failed must not keep it from the next test
                sim.close();
            }
        }
    }
}
