package dev.mdtload.scm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One call to the secure monitor before encoding: the convention that will carry it, the service
 * and command ids, and up to ten typed arguments (kernel MAX_QCOM_SCM_ARGS).
 */
record ScmCall(ScmConvention convention, int service, int command, List<ScmArg> args) {
    public static final int MAX_ARGS = 10;

    public ScmCall {
        Objects.requireNonNull(convention, "convention");
        // the SMCCC function number keeps 8 bits of each (kernel SCM_SMC_FNID)
        if (service < 0 || service > 0xff || command < 0 || command > 0xff) {
            throw new IllegalArgumentException(String.format(
                    "service 0x%x / command 0x%x must each fit 8 bits", service, command));
        }
        args = List.copyOf(args);
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(args.size() + " arguments; a secure-monitor call takes at most " + MAX_ARGS);
        }
    }

    public static ScmCall of(ScmConvention convention, PasCommand command, ScmArg... args) {
        return new ScmCall(convention, command.service(), command.command(), List.of(args));
    }

    public Optional<PasCommand> pasCommand() {
        return PasCommand.of(service, command);
    }

    /** "init_image", or the raw ids of a call this tool has no name for. */
    public String name() {
        return pasCommand().map(PasCommand::callName)
                .orElseGet(() -> String.format("service 0x%x command 0x%x", service, command));
    }
}
