package dev.mdtload.rproc;

import dev.mdtload.failure.UsageFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel's remoteproc sysfs rules (remoteproc_sysfs.c) kept over the files of a fake board, so
 * a dry run, a demo or a test sees what a real board would answer:
 * <ul>
 *   <li>{@code firmware} is writable only while offline (EBUSY otherwise); an empty name is EINVAL;
 *   <li>{@code state}: "start" when running or attached is EBUSY; it loads the firmware named by
 *       {@code firmware} from the search path (ENOENT when there is no such file) and the state
 *       becomes running; "stop" when not running is EINVAL, else the state becomes offline;
 *       any other word is EINVAL;
 *   <li>{@code recovery} takes enabled, disabled or recover; {@code coredump} disabled, enabled or
 *       inline; anything else is EINVAL;
 *   <li>{@code name} is read-only (EACCES).
 * </ul>
 * Booting itself always succeeds here; a test adds a crash or a hang by overriding {@link #write}.
 */
public class SimulatedSysfs implements RemoteprocSysfs {
    private final Path root;
    private final FileSysfs files;

    public SimulatedSysfs(Path root) {
        this.root = root;
        this.files = new FileSysfs(root);
    }

    @Override
    public List<String> processors() throws IOException {
        return files.processors();
    }

    @Override
    public Optional<String> read(String processor, Attribute attribute) throws IOException {
        return files.read(processor, attribute);
    }

    @Override
    public void write(String processor, Attribute attribute, String value) throws IOException {
        String word = value.strip();
        switch (attribute) {
            case NAME -> throw refuse(processor, attribute, "EACCES", "name is read-only");
            case FIRMWARE -> {
                if (state(processor) != RemoteprocState.OFFLINE) {
                    throw refuse(processor, attribute, "EBUSY", "firmware can only be changed while offline");
                }
                if (word.isEmpty()) {
                    throw refuse(processor, attribute, "EINVAL", "empty firmware name");
                }
                files.replace(processor, attribute, word);
            }
            case STATE -> changeState(processor, word);
            case RECOVERY -> oneOf(processor, attribute, word, Set.of("enabled", "disabled", "recover"));
            case COREDUMP -> oneOf(processor, attribute, word, Set.of("disabled", "enabled", "inline"));
        }
    }

    private void changeState(String processor, String word) throws IOException {
        RemoteprocState state = state(processor);
        switch (word) {
            case "start" -> {
                if (state.isUp()) {
                    throw refuse(processor, Attribute.STATE, "EBUSY", "already " + state);
                }
                String firmware = files.read(processor, Attribute.FIRMWARE).orElse("");
                if (!hasFirmware(firmware)) {
                    throw refuse(processor, Attribute.STATE, "ENOENT", "no firmware file '" + firmware + "' in the search path");
                }
                files.replace(processor, Attribute.STATE, RemoteprocState.RUNNING.word());
            }
            case "stop" -> {
                if (!state.isUp()) {
                    throw refuse(processor, Attribute.STATE, "EINVAL", "not running (" + state + ")");
                }
                files.replace(processor, Attribute.STATE, RemoteprocState.OFFLINE.word());
            }
            default -> throw refuse(processor, Attribute.STATE, "EINVAL", "unrecognised option '" + word + "'");
        }
    }

    private boolean hasFirmware(String firmware) throws IOException {
        try {
            return FirmwareSearchPath.of(root).find(FirmwareName.of(firmware)).isPresent();
        } catch (UsageFailure e) {
            // the kernel's loader refuses such names the same way: no file found
            return false;
        }
    }

    private void oneOf(String processor, Attribute attribute, String word, Set<String> accepted) throws IOException {
        if (!accepted.contains(word)) {
            throw refuse(processor, attribute, "EINVAL", "'" + word + "' is not one of " + accepted);
        }
        if (!word.equals("recover")) {
            files.replace(processor, attribute, word);
        }
    }

    private RemoteprocState state(String processor) throws IOException {
        return RemoteprocState.parse(processor, files.read(processor, Attribute.STATE).orElse(""));
    }

    private SysfsException refuse(String processor, Attribute attribute, String errno, String detail) {
        return new SysfsException(files.file(processor, attribute).toString(), errno, detail);
    }
}
