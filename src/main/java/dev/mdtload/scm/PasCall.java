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

    PasCommand command();

    /** The arguments in the kernel's order. */
    List<ScmArg> args(ScmConvention convention);

    /** This call as {@code convention} carries it. */
    default ScmCall on(ScmConvention convention) {
        return new ScmCall(convention, command().service(), command().command(), args(convention));
    }

    /** INFO IS_CALL_AVAIL: whether the secure world has {@code asked} at all, named as the convention names it. */
    record CallAvailable(long pasId, PasCommand asked) implements PasCall {
        public CallAvailable {
            Objects.requireNonNull(asked, "asked");
        }

        @Override
        public PasCommand command() {
            return PasCommand.IS_CALL_AVAIL;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(convention.isSmccc() ? Smccc.availabilityId(asked.service(), asked.command())
                    : LegacyCommand.id(asked.service(), asked.command())));
        }
    }

    /** Whether the secure world can load peripheral {@code pasId}. */
    record Supported(long pasId) implements PasCall {
        @Override
        public PasCommand command() {
            return PasCommand.IS_SUPPORTED;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(pasId));
        }
    }

    /** The metadata (ELF header, program headers, hash segment) to check, in a buffer the secure world reads. */
    record InitImage(long pasId, MetadataBuffer metadata) implements PasCall {
        public InitImage {
            Objects.requireNonNull(metadata, "metadata");
        }

        @Override
        public PasCommand command() {
            return PasCommand.INIT_IMAGE;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(pasId), new Buffer(metadata.addr(), metadata.memory().byteSize(), Access.RW));
        }
    }

    /** A relocatable image's place: {@code size} bytes (the load size) at physical {@code base}. */
    record MemSetup(long pasId, PhysAddr base, long size) implements PasCall {
        public MemSetup {
            Objects.requireNonNull(base, "base");
        }

        @Override
        public PasCommand command() {
            return PasCommand.MEM_SETUP;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(pasId), new Region(base, size), new Value(size));
        }
    }

    /** Authenticate the loaded segments and start the peripheral. */
    record AuthAndReset(long pasId) implements PasCall {
        @Override
        public PasCommand command() {
            return PasCommand.AUTH_AND_RESET;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(pasId));
        }
    }

    /** Stop the peripheral, or clean up after a failed load. */
    record Shutdown(long pasId) implements PasCall {
        @Override
        public PasCommand command() {
            return PasCommand.SHUTDOWN;
        }

        @Override
        public List<ScmArg> args(ScmConvention convention) {
            return List.of(new Value(pasId));
        }
    }
}
