package dev.mdtload.rproc;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.Refusal;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.Validator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The remote processors of a board, driven through the kernel's remoteproc sysfs: list them, read
 * one, stage an image and boot it, stop it. Every refusal by the kernel becomes a
 * {@link Refusal} whose message names the processor, what was tried and why it was
 * refused; nothing is written for a request that is wrong before it reaches the kernel.
 */
public final class Remoteprocs {
    /** How often {@code state} is read while waiting for a processor to run. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** What a start did: the processor as it ended up, and the files staged for it, image file last. */
    public record Started(Remoteproc processor, FirmwareName firmware, List<Path> staged, Duration elapsed) {
        public Started {
            staged = List.copyOf(staged);
        }
    }

    /** A sysfs write and what each errno means for it. */
    private enum Action {
        SET_FIRMWARE("set firmware", Map.of("EBUSY", "it is not offline", "EINVAL", "the kernel rejected the name")),
        START("start", Map.of("EBUSY", "it is already running",
                "ENOENT", "the kernel found no such firmware file in its search path",
                "EINVAL", "the kernel rejected the request")),
        STOP("stop", Map.of("EINVAL", "it is not running"));

        final String verb;
        final Map<String, String> reasons;

        Action(String verb, Map<String, String> reasons) {
            this.verb = verb;
            this.reasons = reasons;
        }
    }

    private final Path root;
    private final RemoteprocSysfs sysfs;

    /** Processors under {@code root} ({@code ROOT/sys/class/remoteproc}), reached through {@code sysfs}. */
    public Remoteprocs(Path root, RemoteprocSysfs sysfs) {
        this.root = root;
        this.sysfs = sysfs;
    }

    public List<Remoteproc> list() throws IOException {
        List<Remoteproc> all = new ArrayList<>();
        for (String id : sysfs.processors()) {
            all.add(read(id));
        }
        return all;
    }

    /**
     * The processor whose directory ({@code remoteproc0}) or {@code name} ({@code wpss}) is
     * {@code nameOrId}; a name two processors share must be given as the directory.
     */
    public Remoteproc get(String nameOrId) throws IOException, UsageFailure {
        List<Remoteproc> all = list();
        for (Remoteproc p : all) {
            if (p.id().equals(nameOrId)) {
                return p;
            }
        }
        List<Remoteproc> named = all.stream().filter(p -> p.name().equals(nameOrId)).toList();
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.isEmpty()) {
            throw new UsageFailure("no remote processor named '" + nameOrId + "' (have: "
                    + String.join(", ", all.stream().map(Remoteproc::label).toList()) + ")");
        }
        throw new UsageFailure("'" + nameOrId + "' names " + String.join(", ",
                named.stream().map(Remoteproc::id).toList()) + ": give the remoteprocN directory instead");
    }

    public FirmwareSearchPath searchPath() throws IOException {
        return FirmwareSearchPath.of(root);
    }

    /**
     * Validates {@code image}, stages it as {@code firmware} into the search path, sets it as the
     * processor's firmware, starts the processor and waits until it runs.
     *
     * @throws InvalidImageException      the image breaks a rule; nothing was written
     * @throws UsageFailure      {@code firmware} cannot be staged; nothing was written
     * @throws UsageFailure  no such processor; nothing was written
     * @throws Refusal        the processor is not offline (nothing written), or the
     *                                    kernel refused, or it crashed or did not run within {@code timeout}
     */
    public Started start(String nameOrId, Path image, FirmwareName firmware, Validator validator, Duration timeout)
            throws IOException, Failure {
        long begin = System.nanoTime();
        Remoteproc p = offline(nameOrId);
        List<Path> staged;
        try (FirmwareImage fw = FirmwareImage.open(image)) {
            validator.requireValid(fw);
            staged = stage(fw, firmware);
        }
        Remoteproc running = boot(p.id(), firmware, timeout);
        return new Started(running, firmware, staged, Duration.ofNanos(System.nanoTime() - begin));
    }

    /**
     * The processor, if it is offline: the only state in which the kernel takes a new firmware.
     *
     * @throws Refusal it is running, crashed or otherwise not offline
     */
    public Remoteproc offline(String nameOrId) throws IOException, Failure {
        Remoteproc p = get(nameOrId);
        if (p.state() != RemoteprocState.OFFLINE) {
            throw new Refusal(p.label() + ": is " + p.state()
                    + ", and the kernel changes firmware only while offline" + (p.state().isUp() ? ": stop it first" : ""));
        }
        return p;
    }

    /**
     * Copies an opened, already validated image into the search path under {@code firmware}
     * (the image file and each .bNN part, each file atomically).
     */
    public List<Path> stage(FirmwareImage validated, FirmwareName firmware) throws IOException, UsageFailure {
        return Stager.stage(validated, firmware, searchPath().stagingDirectory());
    }

    /** Sets {@code firmware}, writes {@code start} and waits until the processor runs. */
    public Remoteproc boot(String nameOrId, FirmwareName firmware, Duration timeout)
            throws IOException, Failure {
        Remoteproc p = get(nameOrId);
        write(p, Action.SET_FIRMWARE, Attribute.FIRMWARE, firmware.value());
        write(p, Action.START, Attribute.STATE, "start");
        return awaitRunning(p, firmware, timeout);
    }

    /** Writes {@code stop}; the kernel refuses (EINVAL) unless the processor runs. */
    public Remoteproc stop(String nameOrId) throws IOException, Failure {
        Remoteproc p = get(nameOrId);
        write(p, Action.STOP, Attribute.STATE, "stop");
        return read(p.id());
    }

    /** Sets the firmware name the next start loads; the kernel refuses (EBUSY) unless the processor is offline. */
    public Remoteproc setFirmware(String nameOrId, FirmwareName firmware)
            throws IOException, Failure {
        Remoteproc p = get(nameOrId);
        write(p, Action.SET_FIRMWARE, Attribute.FIRMWARE, firmware.value());
        return read(p.id());
    }

    private Remoteproc awaitRunning(Remoteproc p, FirmwareName firmware, Duration timeout)
            throws IOException, Refusal {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Remoteproc now = read(p.id());
            if (now.state().isUp()) {
                return now;
            }
            if (now.state() == RemoteprocState.CRASHED) {
                throw new Refusal(p.label() + ": crashed while starting " + firmware);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new Refusal(String.format("%s: not running %.1f s after start of %s (state %s)",
                        p.label(), timeout.toMillis() / 1000.0, firmware, now.state()));
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refusal("EINTR", p.label() + ": interrupted while waiting for it to run", e);
            }
        }
    }

    private void write(Remoteproc p, Action action, Attribute attribute, String value)
            throws IOException, Refusal {
        try {
            sysfs.write(p.id(), attribute, value);
        } catch (SysfsException e) {
            String reason = action.reasons.get(e.errno());
            if (reason == null) {
                // EACCES, EPERM, EIO: the machine, not the processor, said no
                throw e;
            }
            throw new Refusal(e.errno(), p.label() + ": cannot " + action.verb + ": " + reason + " (" + e.errno() + ")", e);
        }
    }

    private Remoteproc read(String id) throws IOException {
        String name = required(id, Attribute.NAME);
        RemoteprocState state = RemoteprocState.parse(id, required(id, Attribute.STATE));
        return new Remoteproc(id, name, state, sysfs.read(id, Attribute.FIRMWARE).orElse(""),
                setting(id, Attribute.RECOVERY), setting(id, Attribute.COREDUMP));
    }

    private Remoteproc.Setting setting(String id, Attribute attribute) throws IOException {
        return sysfs.read(id, attribute).<Remoteproc.Setting>map(Remoteproc.Value::new).orElse(new Remoteproc.Absent());
    }

    private String required(String id, Attribute attribute) throws IOException {
        return sysfs.read(id, attribute).orElseThrow(() -> new IOException(
                id + ": has no " + attribute.file() + " attribute; is this a remoteproc directory?"));
    }
}
