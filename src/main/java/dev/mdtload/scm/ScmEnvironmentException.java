package dev.mdtload.scm;

import java.io.IOException;

/**
 * The secure world cannot be reached at all: the simulation is not built, is already in use, or
 * cannot map what it was asked to. An environment problem, not a refusal.
 */
public final class ScmEnvironmentException extends IOException {
    public ScmEnvironmentException(String message) {
        super(message);
    }
}
