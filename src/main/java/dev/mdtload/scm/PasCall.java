package dev.mdtload.scm;

import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Access;
import dev.mdtload.scm.ScmArg.Bridged;
import dev.mdtload.scm.ScmArg.Buffer;
import dev.mdtload.scm.ScmArg.Region;
import dev.mdtload.scm.ScmArg.Value;

import java.util.List;
import java.util.Objects;

/**
 * The calls a PAS load makes, typed: what every {@link SecureMonitor} backend is asked, whatever
 * carries it. Each knows its arguments as the kernel's qcom_scm.c passes them, and so which of
 * them are physical addresses: {@link #on} gives the call for a convention, whose encoding
 * checks those against the convention's width before anything reaches the secure world.
 */
public sealed interface PasCall {
    /** QCOM_SCM_PERM_READ | QCOM_SCM_PERM_WRITE (include/linux/firmware/qcom/qcom_scm.h). */
    int SHM_BRIDGE_PERM_RW = 0x4 | 0x2;
    /** QCOM_SHM_BRIDGE_NUM_VM_SHIFT (drivers/firmware/qcom/qcom_tzmem.c); one VM shares the memory. */
    int SHM_BRIDGE_NUM_VM_SHIFT = 9;
    /** QCOM_SCM_VMID_HLOS: the non-secure OS. */
    int VMID_HLOS = 0x3;

    /** The peripheral the call is about (named in refusals, even when it is not an argument). */
    long pasId();

    /** INFO IS_CALL_AVAIL: whether the secure world has {@code asked} at all. */
    record CallAvailable(long pasId, PasCommand asked) implements PasCall {
        public CallAvailable {
            Objects.requireNonNull(asked, "asked");
        }
    }

    /** Whether the secure world can load peripheral {@code pasId}. */
    record Supported(long pasId) implements PasCall {}

    /** The metadata (ELF header, program headers, hash segment) to check, in a buffer the secure world reads. */
    record InitImage(long pasId, MetadataBuffer metadata) implements PasCall {
        public InitImage {
            Objects.requireNonNull(metadata, "metadata");
        }
    }

    /** A relocatable image's place: {@code size} bytes (the load size) at physical {@code base}. */
    record MemSetup(long pasId, PhysAddr base, long size) implements PasCall {
        public MemSetup {
            Objects.requireNonNull(base, "base");
        }
    }

    /** Authenticate the loaded segments and start the peripheral. */
    record AuthAndReset(long pasId) implements PasCall {}

    /** Stop the peripheral, or clean up after a failed load. */
    record Shutdown(long pasId) implements PasCall {}

    /**
     * The resource table of peripheral {@code pasId} (qcom_scm_pas_get_rsc_table(), SCM function
     * 0x21): the firmware's own table goes in, the secure world answers it with the dynamic
     * resources added, into {@code output}. Both are buffers read by physical address.
     */
    record GetRscTable(long pasId, MetadataBuffer input, MetadataBuffer output) implements PasCall {
        public GetRscTable {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * Share {@code size} bytes at physical {@code base} with the secure world (qcom_tzmem_shm_bridge_create()
     * over a remote processor's carveout, which qcom_scm_pas_prepare_and_auth_reset() makes when Linux
     * runs at EL2 and no hypervisor makes it); {@code pasId} only names the load in messages.
     */
    record ShmBridgeCreate(long pasId, PhysAddr base, long size) implements PasCall {
        public ShmBridgeCreate {
            Objects.requireNonNull(base, "base");
            // the number of VMs shares the size's word, below its first whole page
            if (size <= 0 || size % Page.SIZE != 0) {
                throw new IllegalArgumentException("SHM bridge of " + size + " bytes: not whole 4 KiB pages");
            }
        }
    }

    /** Remove the bridge {@code handle} that {@link ShmBridgeCreate} answered. */
    record ShmBridgeDelete(long pasId, long handle) implements PasCall {}

    default PasCommand command() {
        return switch (this) {
            case CallAvailable ignored -> PasCommand.IS_CALL_AVAIL;
            case Supported ignored -> PasCommand.IS_SUPPORTED;
            case InitImage ignored -> PasCommand.INIT_IMAGE;
            case MemSetup ignored -> PasCommand.MEM_SETUP;
            case AuthAndReset ignored -> PasCommand.AUTH_AND_RESET;
            case Shutdown ignored -> PasCommand.SHUTDOWN;
            case GetRscTable ignored -> PasCommand.GET_RSC_TABLE;
            case ShmBridgeCreate ignored -> PasCommand.SHM_BRIDGE_CREATE;
            case ShmBridgeDelete ignored -> PasCommand.SHM_BRIDGE_DELETE;
        };
    }

    /** The arguments in the kernel's order; IS_CALL_AVAIL names the call as the convention does. */
    default List<ScmArg> args(ScmConvention convention) {
        return switch (this) {
            case CallAvailable c -> List.of(new Value(convention.isSmccc()
                    ? Smccc.availabilityId(c.asked().service(), c.asked().command())
                    : LegacyCommand.id(c.asked().service(), c.asked().command())));
            case InitImage i -> List.of(new Value(pasId()),
                    new Buffer(i.metadata().addr(), i.metadata().memory().byteSize(), Access.RW));
            case MemSetup m -> List.of(new Value(pasId()), new Region(m.base(), m.size()), new Value(m.size()));
            case Supported ignored -> List.of(new Value(pasId()));
            case AuthAndReset ignored -> List.of(new Value(pasId()));
            case Shutdown ignored -> List.of(new Value(pasId()));
            // (pas_id VAL, input RO, its size VAL, output RW, its size VAL): five, so SMCCC passes the
            // last two in the argument buffer
            case GetRscTable t -> List.of(new Value(pasId()),
                    new Buffer(t.input().addr(), t.input().memory().byteSize(), Access.RO),
                    new Value(t.input().memory().byteSize()),
                    new Buffer(t.output().addr(), t.output().memory().byteSize(), Access.RW),
                    new Value(t.output().memory().byteSize()));
            // qcom_tzmem_shm_bridge_create(): the address with the non-secure and the secure side's
            // permissions in its low bits (the same address: no hypervisor stage 2 in between),
            // the size with the number of VMs, then the VM ids (HLOS)
            case ShmBridgeCreate b -> List.of(new Bridged(b.base(), b.size(), SHM_BRIDGE_PERM_RW),
                    new Bridged(b.base(), b.size(), SHM_BRIDGE_PERM_RW),
                    new Value(b.size() | 1L << SHM_BRIDGE_NUM_VM_SHIFT), new Value(VMID_HLOS));
            case ShmBridgeDelete d -> List.of(new Value(d.handle()));
        };
    }

    /** This call as {@code convention} carries it. */
    default ScmCall on(ScmConvention convention) {
        return new ScmCall(convention, command().service(), command().command(), args(convention));
    }
}
