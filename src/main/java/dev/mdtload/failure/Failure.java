package dev.mdtload.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;

/**
 * Every way an mdtload command fails, by what the user should do about it: one of four kinds, each
 * with its exit code ({@link Kind}), each failure with the id that names it: a rule id, an errno
 * name, or its kind's name. Domain failures extend a kind ({@code InvalidImageException} is an
 * {@link InvalidInput}); the JDK's own exceptions are given a kind once, by {@link #of(Throwable)}.
 */
public abstract sealed class Failure extends Exception
        permits UsageFailure, InvalidInput, EnvironmentFailure, Refusal {
    private final String rule;

    Failure(String rule, String message, Throwable cause) {
        super(message, cause);
        this.rule = rule;
    }

    public abstract Kind kind();

    /** The rule id ({@code digest-mismatch}), errno name ({@code EACCES}) or kind ({@code usage}) that names this failure. */
    public String ruleId() {
        return rule;
    }

    /** One line each, as stderr shows them: an invalid image lists every rule it breaks. */
    public List<String> lines() {
        return List.of(getMessage());
    }

    /** The lines joined, for a report with one line per failure. */
    public String line() {
        return String.join("; ", lines());
    }

    /**
     * The failure {@code t} is: itself when it is one, else the JDK's exception given its kind. A
     * path that is not there, or one that runs through a file, names nothing that is there: usage;
     * an output that exists is the request's fault too; anything else the machine did is environment.
     */
    public static Failure of(Throwable t) {
        return switch (t) {
            case Failure f -> f;
            case UncheckedIOException u -> of(u.getCause());
            case NoSuchFileException n -> new UsageFailure(n.getFile() + ": no such file or directory", n);
            case NotDirectoryException n -> new UsageFailure(n.getFile() + ": not a directory", n);
            case FileAlreadyExistsException e -> new UsageFailure(e.getFile() + ": "
                    + (e.getReason() == null ? "already exists (use --force to replace it)" : e.getReason()), e);
            // the errno the kernel gave the JDK, as a libc failure names it
            case AccessDeniedException a -> new EnvironmentFailure("EACCES", a.getFile() + ": permission denied", a);
            case FileSystemException f -> new EnvironmentFailure(Kind.ENVIRONMENT.id(), f.getFile() + ": " + reason(f), f);
            case IOException e -> new EnvironmentFailure(Kind.ENVIRONMENT.id(), sentence(e), e);
            // the JDK's providers could not do what a valid key and chain ask of them
            case GeneralSecurityException g -> new EnvironmentFailure("crypto", sentence(g), g);
            case OutOfMemoryError m -> new EnvironmentFailure("out-of-memory",
                    "out of memory (" + m.getMessage() + "): raise -Xmx, or the input asks for too much", m);
            default -> new EnvironmentFailure("internal", "internal error: " + sentence(t), t);
        };
    }

    /** The reason the JDK gives, lowercase like the kernel's messages ("Is a directory" becomes "is a directory"). */
    private static String reason(FileSystemException f) {
        return f.getReason() == null ? "cannot be used" : lowercaseFirst(f.getReason());
    }

    private static String sentence(Throwable t) {
        return t.getMessage() == null ? "failed without a message" : lowercaseFirst(t.getMessage());
    }

    private static String lowercaseFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
