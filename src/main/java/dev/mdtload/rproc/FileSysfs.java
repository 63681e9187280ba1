package dev.mdtload.rproc;

import dev.mdtload.files.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The remoteproc class directory under a root, read and written as files: the real thing when the root is {@code /}. */
public final class FileSysfs implements RemoteprocSysfs {
    /** Where the kernel lists remote processors, relative to the root of the file system. */
    public static final String CLASS_DIR = "sys/class/remoteproc";
    private static final Pattern ID = Pattern.compile("remoteproc(\\d+)");

    private final Path classDir;

    public FileSysfs(Path root) {
        this.classDir = root.resolve(CLASS_DIR);
    }

    @Override
    public List<String> processors() throws IOException {
        if (!Files.isDirectory(classDir)) {
            throw new NoSuchFileException(classDir.toString(), null, "no remoteproc class directory");
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(classDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // in real sysfs each entry is a link to the device's directory
                if (ID.matcher(name).matches() && Files.isDirectory(entry)) {
                    ids.add(name);
                }
            }
        }
        ids.sort(Comparator.comparingLong(id -> Long.parseLong(id.substring("remoteproc".length()))));
        return ids;
    }

    @Override
    public Optional<String> read(String processor, Attribute attribute) throws IOException {
        Path file = file(processor, attribute);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String value = Files.readString(file, StandardCharsets.UTF_8);
        return Optional.of(value.endsWith("\n") ? value.substring(0, value.length() - 1) : value);
    }

    @Override
    public void write(String processor, Attribute attribute, String value) throws IOException {
        Path file = file(processor, attribute);
        try {
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            String errno = errno(e);
            if (errno == null) {
                throw e;
            }
            throw new SysfsException(file.toString(), errno, "writing '" + value + "' failed");
        }
    }

    /**
     * Replaces an attribute's value whole, as the kernel changes one: a reader, or a run killed
     * halfway, never finds it empty. For {@link SimulatedSysfs}, which plays the kernel's side over
     * a fake board's files; real sysfs attributes are written in place, by {@link #write}.
     */
    void replace(String processor, Attribute attribute, String value) throws IOException {
        Path file = file(processor, attribute);
        if (!Files.exists(file)) {
            // an attribute the kernel does not have cannot be written, as write() finds too
            throw new SysfsException(file.toString(), "ENOENT", "writing '" + value + "' failed");
        }
        AtomicFile.write(file, true, (value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    Path file(String processor, Attribute attribute) {
        return classDir.resolve(processor).resolve(attribute.file());
    }

    /**
     * The errno behind a failed write. The JDK reports it only as strerror text: an open failure as
     * a FileSystemException reason, a write failure as the message itself.
     */
    static String errno(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "EACCES";
        }
        if (e instanceof NoSuchFileException) {
            return "ENOENT";
        }
        String text = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return switch (text == null ? "" : text) {
            case "Device or resource busy" -> "EBUSY";
            case "Invalid argument" -> "EINVAL";
            case "No such file or directory" -> "ENOENT";
            case "Operation not permitted" -> "EPERM";
            case "Permission denied" -> "EACCES";
            default -> null;
        };
    }
}
