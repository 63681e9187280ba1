package dev.mdtload.scm;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a secure world is opened with: where the buffers it shares with the loader go, and the
 * memory each peripheral is loaded into, as a real secure world knows it from its own
 * configuration. A backend that reaches real memory needs only the first; the simulated one
 * reads each carveout through the file its spec names.
 *
 * @param sharedBase  where shared buffers (metadata, argument buffers) start; overlaps no carveout
 * @param peripherals at most one per PAS id
 * @param policy      what the board's fuses make the secure world refuse ({@link ImagePolicy#NONE}
 *                    when they are not known); only a simulation applies it, a real one has its own
 * @param lite        the lite firmware the board's boot firmware left running; a real secure world
 *                    knows its own, the simulated one starts with these running
 */
public record SecureWorldSetup(PhysAddr sharedBase, List<Peripheral> peripherals, ImagePolicy policy, List<Lite> lite) {
    /**
     * A "lite" firmware the boot firmware started under {@code pasId}: until it is shut down, the
     * secure world will not take an image for {@code holds}, the PAS id whose memory and processor
     * it occupies.
     */
    public record Lite(long pasId, long holds) {
        public Lite {
            PasClient.requirePasId(pasId);
            PasClient.requirePasId(holds);
        }
    }

    /** Peripheral {@code pasId} is loaded into the carveout {@code spec} names, as {@code request} asks for it. */
    public record Peripheral(long pasId, CarveoutSpec carveout, Carveouts.Request request) {
        public Peripheral {
            PasClient.requirePasId(pasId);
            Objects.requireNonNull(carveout, "carveout");
            Objects.requireNonNull(request, "request");
        }
    }

    public SecureWorldSetup {
        Objects.requireNonNull(sharedBase, "sharedBase");
        Objects.requireNonNull(policy, "policy");
        peripherals = List.copyOf(peripherals);
        lite = List.copyOf(lite);
        Set<Long> ids = new HashSet<>();
        for (Peripheral p : peripherals) {
            if (!ids.add(p.pasId())) {
                throw new IllegalArgumentException("pas id " + p.pasId() + " is given two carveouts");
            }
        }
    }

    /** A board whose boot firmware leaves no lite firmware running. */
    public SecureWorldSetup(PhysAddr sharedBase, List<Peripheral> peripherals, ImagePolicy policy) {
        this(sharedBase, peripherals, policy, List.of());
    }

    /** A board whose fuses are not known: every image that authenticates is accepted. */
    public SecureWorldSetup(PhysAddr sharedBase, List<Peripheral> peripherals) {
        this(sharedBase, peripherals, ImagePolicy.NONE);
    }

    /** No peripheral's memory: enough for a backend that reaches real memory, or a test of single calls. */
    public static SecureWorldSetup sharedAt(PhysAddr sharedBase) {
        return new SecureWorldSetup(sharedBase, List.of());
    }
}
