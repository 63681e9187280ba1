package dev.mdtload.testing;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.ScmCall;
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
 * Wraps the simulated secure world a load opens: optionally flips one byte of "physical memory"
 * just before auth_and_reset reaches the simulation (through the file the carveout was attached
 * from, as another bus master scribbling on the carveout would), and remembers what the
 * simulation had seen by the time the load closed it: how many calls, and the peripheral's state.
 */
public final class SimProbe implements UnaryOperator<SecureMonitor> {
    private final long pasId;
    private final Optional<PhysAddr> flipAt;
    private boolean opened;
    private long calls;
    private PeripheralState state;
    private final List<PasCommand> commands = new ArrayList<>();

    private SimProbe(long pasId, Optional<PhysAddr> flipAt) {
        this.pasId = pasId;
        this.flipAt = flipAt;
    }

    /** Only watches. */
    public static SimProbe watching(long pasId) {
        return new SimProbe(pasId, Optional.empty());
    }

    /** Inverts the byte at physical {@code addr} right before auth_and_reset is passed on. */
    public static SimProbe flippingBeforeAuth(long pasId, PhysAddr addr) {
        return new SimProbe(pasId, Optional.of(addr));
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

    private record Attached(PhysAddr base, long size, Path file, long offset) {
        boolean covers(PhysAddr addr) {
            return addr.compareTo(base) >= 0 && addr.value() - base.value() < size;
        }
    }

    private final class Probed extends ForwardingSecureMonitor {
        private final List<Attached> attached = new ArrayList<>();

        Probed(SimSecureMonitor sim) {
            super(sim);
        }

        @Override
        public ScmResult invoke(ScmCall call) throws UsageFailure, IOException {
            call.pasCommand().ifPresent(commands::add);
            if (flipAt.isPresent() && call.pasCommand().equals(Optional.of(PasCommand.AUTH_AND_RESET))) {
                flip(flipAt.get());
            }
            return sim.invoke(call);
        }

        private void flip(PhysAddr addr) throws IOException {
            Attached range = attached.stream().filter(a -> a.covers(addr)).findFirst()
                    .orElseThrow(() -> new AssertionError(addr + " is in no attached range: " + attached));
            invertByte(range.file(), range.offset() + (addr.value() - range.base().value()));
        }

        @Override
        public void attach(PhysAddr base, long size, Path backingFile, long backingOffset) throws IOException {
            attached.add(new Attached(base, size, backingFile, backingOffset));
            sim.attach(base, size, backingFile, backingOffset);
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
