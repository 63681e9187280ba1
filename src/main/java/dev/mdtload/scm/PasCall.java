package dev.mdtload.scm;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Access;
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

    default PasCommand command() {
        return switch (this) {
            case CallAvailable ignored -> PasCommand.IS_CALL_AVAIL;
            case Supported ignored -> PasCommand.IS_SUPPORTED;
            case InitImage ignored -> PasCommand.INIT_IMAGE;
            case MemSetup ignored -> PasCommand.MEM_SETUP;
            case AuthAndReset ignored -> PasCommand.AUTH_AND_RESET;
            case Shutdown ignored -> PasCommand.SHUTDOWN;
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
        };
    }

    /** This call as {@code convention} carries it. */
    default ScmCall on(ScmConvention convention) {
        return new ScmCall(convention, command().service(), command().command(), args(convention));
    }
}
