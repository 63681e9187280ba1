package dev.mdtload.provision;

import dev.mdtload.failure.UsageFailure;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.preflight.FactsFile;
import dev.mdtload.provision.Manifest.CarveoutRef;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.KernelCarveout;
import dev.mdtload.provision.Manifest.Method;
import dev.mdtload.provision.Manifest.OsLevel;
import dev.mdtload.provision.Manifest.ScmBackend;
import dev.mdtload.provision.Manifest.Settings;
import dev.mdtload.provision.Manifest.SysfsKind;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.ScmConvention;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a manifest (YAML, or JSON when the file ends in {@code .json}) and applies the schema
 * README.md documents. Every problem is reported, each naming the file, the line and the field:
 * all unknown fields at once; then, once the text binds, every entry's missing or misplaced field.
 */
public final class ManifestReader {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private ManifestReader() {}

    /** The manifest's text as it binds, before the schema's rules; absent fields are null. */
    record FileForm(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, String kernel, Map<String, Object> facts,
                    Host host, List<String> iommuMap, List<EntryForm> processors) {}

    record EntryForm(String name, String image, CarveoutForm carveout,
                     @JsonDeserialize(using = WholeNumber.class) Long pasId, MethodKind method,
                     String remoteproc, String firmware, Integer order, CompanionForm companion, List<String> after) {}

    /** {@code {image: adsp_dtb.mbn, pas_id: 0x24, carveout: reserved:adsp-dtb}}. */
    record CompanionForm(String image, @JsonDeserialize(using = WholeNumber.class) Long pasId, CarveoutForm carveout) {}

    /** {@code reserved:wpss}, or {@code {spec: devmem, phys: 0x9ae00000, size: 0x1900000}}. */
    record CarveoutForm(String spec, @JsonDeserialize(using = WholeNumber.class) Long phys,
                        @JsonDeserialize(using = WholeNumber.class) Long size) {
        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        CarveoutForm {}

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static CarveoutForm of(String spec) {
            return new CarveoutForm(spec, null, null);
        }
    }

    enum MethodKind { SCM, REMOTEPROC }

    /** A number as YAML writes it (0x hex included) or as a JSON string: {@code "0x9ae00000"}. */
    static final class WholeNumber extends StdDeserializer<Long> {
        WholeNumber() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return parser.getLongValue();
            }
            String text = parser.getValueAsString();
            if (text != null) {
                String t = text.strip().toLowerCase(Locale.ROOT);
                try {
                    long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
                    if (v >= 0) {
                        return v;
                    }
                } catch (NumberFormatException notANumber) {
                    // refused below with the field's path
                }
            }
            return (Long) context.handleWeirdStringValue(Long.class, String.valueOf(text),
                    "not a whole number below 2^63 (decimal or 0x hex)");
        }
    }

    public static Manifest read(Path file) throws IOException, ManifestException {
        String text = utf8(file, Files.readAllBytes(file));
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        SourceMap where;
        try {
            where = SourceMap.of(mapper, text, FileForm.class);
        } catch (StreamReadException e) {
            // SnakeYAML's message quotes the text under each remark, indented: the remarks are enough
            throw new ManifestException(List.of(file + ":" + Math.max(1, e.getLocation().getLineNr()) + ": "
                    + e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .collect(Collectors.joining(": "))));
        }
        if (!where.problems().isEmpty()) {
            throw new ManifestException(where.problems().stream().map(p -> file + ":" + p).toList());
        }
        FileForm form;
        try {
            form = mapper.readValue(text, FileForm.class);
        } catch (JsonMappingException e) {
            String path = path(e);
            throw new ManifestException(List.of(file + ":" + where.line(path) + ": "
                    + (path.isEmpty() ? "" : path + ": ") + describe(e)));
        } catch (JacksonException e) {
            throw new ManifestException(List.of(file + ": " + e.getOriginalMessage()));
        }
        if (form == null) {
            throw new ManifestException(List.of(file + ":1: empty manifest: it needs a list of processors"));
        }
        return new Schema(file, where).apply(form);
    }

    /**
     * Manifests are UTF-8 text. Decoding here, strictly, keeps Jackson from guessing UTF-16/32 from
     * zero bytes and failing with an I/O error that would read as an environment problem.
     */
    private static String utf8(Path file, byte[] bytes) throws ManifestException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(file + ":1: not UTF-8 text"));
        }
    }

    /** {@code processors[1].pas_id}, as {@link SourceMap} names fields. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Jackson's messages name Java types; these name what the manifest should say. */
    private static String describe(JsonMappingException e) {
        return switch (e) {
            case InvalidFormatException f when f.getTargetType() != null && f.getTargetType().isEnum() ->
                    "'" + f.getValue() + "' is not one of " + choices(f.getTargetType());
            case InvalidFormatException f -> "'" + f.getValue() + "' is " + Optional.ofNullable(f.getOriginalMessage())
                    .filter(m -> m.contains("not a whole number")).map(m -> "not a whole number below 2^63 (decimal or 0x hex)")
                    .orElse("not " + kind(f.getTargetType()));
            case ValueInstantiationException v when v.getCause() != null -> v.getCause().getMessage();
            case MismatchedInputException m when m.getTargetType() != null -> "expected " + kind(m.getTargetType());
            default -> e.getOriginalMessage().lines().findFirst().orElse("cannot be read");
        };
    }

    private static String choices(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (type.isRecord()) {
            return "a mapping of fields";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number";
        }
        return type.isEnum() ? "one of " + choices(type) : "a string";
    }

    /** The rules binding cannot express: required fields per method, unique names and orders. */
    private static final class Schema {
        private final Path file;
        private final SourceMap where;
        private final List<String> problems = new ArrayList<>();

        Schema(Path file, SourceMap where) {
            this.file = file;
            this.where = where;
        }

        Manifest apply(FileForm form) throws ManifestException {
            Settings settings = new Settings(Optional.ofNullable(form.scm()).orElse(ScmBackend.SIM),
                    Optional.ofNullable(form.convention()).orElse(ScmConvention.SMC64),
                    Optional.ofNullable(form.sysfs()).orElse(SysfsKind.REAL), kernel(form.kernel()), facts(form.facts()),
                    host(Optional.ofNullable(form.host()).orElse(Host.HYPERVISOR), form.iommuMap()));
            List<EntryForm> forms = Optional.ofNullable(form.processors()).orElse(List.of());
            if (forms.isEmpty()) {
                problem("processors", "no processors to bring up");
            }
            long ordered = forms.stream().filter(f -> f != null && f.order() != null).count();
            if (ordered != 0 && ordered != forms.size()) {
                problem("processors", "order is given on " + ordered + " of " + forms.size()
                        + " entries: give it on every entry or on none");
            }
            List<Entry> entries = new ArrayList<>();
            Map<String, String> names = new HashMap<>();
            Map<Integer, String> orders = new HashMap<>();
            Map<Integer, String> pasIds = new HashMap<>();
            for (int i = 0; i < forms.size(); i++) {
                String at = "processors[" + i + "]";
                EntryForm f = forms.get(i);
                if (f == null) {
                    problem(at, "empty entry");
                    continue;
                }
                String label = f.name() != null && !f.name().isBlank() ? f.name() : "#" + (i + 1);
                int order = f.order() != null ? f.order() : i + 1;
                unique(names, label, at + ".name", "name '" + label + "'", f.name() != null);
                unique(orders, order, at + ".order", "order " + order, f.order() != null);
                entry(at, label, order, f, pasIds).ifPresent(entries::add);
            }
            if (!problems.isEmpty()) {
                throw new ManifestException(problems);
            }
            // stable: entries that share no order keep the manifest's order
            entries.sort(Comparator.comparingInt(Entry::order));
            List<Entry> bringUp = afterDependencies(entries);
            if (!problems.isEmpty()) {
                throw new ManifestException(problems);
            }
            return new Manifest(file, settings, bringUp);
        }

        /**
         * The entries in bring-up order: each after every entry its {@code after:} names, otherwise
         * in {@code order}. A name no entry has, or a cycle, is a problem: nothing could start it.
         */
        private List<Entry> afterDependencies(List<Entry> entries) {
            Map<String, Entry> byName = new HashMap<>();
            entries.forEach(e -> byName.put(e.name(), e));
            for (Entry e : entries) {
                for (String name : e.after()) {
                    if (!byName.containsKey(name)) {
                        problems.add(file + ":" + e.line() + ": processor " + e.name() + ": after: no processor is named '"
                                + name + "'");
                    } else if (name.equals(e.name())) {
                        problems.add(file + ":" + e.line() + ": processor " + e.name() + ": after: it cannot start after itself");
                    }
                }
            }
            if (!problems.isEmpty()) {
                return entries;
            }
            List<Entry> ordered = new ArrayList<>();
            List<Entry> waiting = new ArrayList<>(entries);
            while (!waiting.isEmpty()) {
                Entry next = waiting.stream()
                        .filter(e -> e.after().stream().allMatch(n -> ordered.stream().anyMatch(o -> o.name().equals(n))))
                        .findFirst().orElse(null);
                if (next == null) {
                    Entry first = waiting.getFirst();
                    problems.add(file + ":" + first.line() + ": processor " + first.name() + ": after: a cycle: "
                            + cycle(first, byName, waiting.stream().map(Entry::name).toList()));
                    return entries;
                }
                ordered.add(next);
                waiting.remove(next);
            }
            return ordered;
        }

        /**
         * "wlan -> modem -> wlan": from {@code start}, following a name that is still waiting each
         * time; every waiting entry waits for another waiting one, so the walk must close a loop.
         */
        private static String cycle(Entry start, Map<String, Entry> byName, List<String> waiting) {
            List<String> path = new ArrayList<>();
            Entry at = start;
            while (!path.contains(at.name())) {
                path.add(at.name());
                at = byName.get(at.after().stream().filter(waiting::contains).findFirst().orElseThrow());
            }
            path.add(at.name());
            return String.join(" -> ", path.subList(path.indexOf(at.name()), path.size()));
        }

        private Optional<Entry> entry(String at, String label, int order, EntryForm f, Map<Integer, String> pasIds) {
            int before = problems.size();
            required(at, label, "name", f.name() == null || f.name().isBlank() ? null : f.name(), "");
            required(at, label, "image", f.image() == null || f.image().isBlank() ? null : f.image(), "");
            required(at, label, "method", f.method(), " (scm or remoteproc)");
            Optional<CarveoutRef> carveout = f.carveout() == null ? Optional.empty() : carveout(at + ".carveout", label, f.carveout());
            Optional<CarveoutRef> companion = Optional.empty();
            if (f.companion() != null && f.method() != MethodKind.SCM) {
                problem(at + ".companion", label, "companion applies to method scm only: the kernel loads a "
                        + "remoteproc's DTB image itself");
            }
            if (f.method() == MethodKind.SCM) {
                required(at, label, "pas_id", f.pasId(), " for method scm");
                required(at, label, "carveout", f.carveout(), " for method scm: the memory mdtload loads into");
                absent(at, label, "remoteproc", f.remoteproc(), "scm");
                absent(at, label, "firmware", f.firmware(), "scm");
                if (f.pasId() != null && f.pasId() > Integer.MAX_VALUE) {
                    problem(at + ".pas_id", label, "pas id " + f.pasId() + " is above 2^31 - 1");
                } else if (f.pasId() != null) {
                    unique(pasIds, f.pasId().intValue(), at + ".pas_id", "pas id " + f.pasId(), true);
                    if (f.companion() != null) {
                        companion = companion(at + ".companion", label, f.companion(), pasIds);
                    }
                }
            } else if (f.method() == MethodKind.REMOTEPROC) {
                required(at, label, "remoteproc", f.remoteproc(), " for method remoteproc: the processor's name or remoteprocN");
                absent(at, label, "pas_id", f.pasId(), "remoteproc");
            }
            if (problems.size() != before) {
                return Optional.empty();
            }
            // every field a method needs was required above: none is missing here
            Path image = resolve(f.image());
            Method method = switch (f.method()) {
                case SCM -> f.companion() == null ? new Method.Alone(f.pasId().intValue(), carveout.orElseThrow())
                        : new Method.WithCompanion(f.pasId().intValue(), carveout.orElseThrow(), resolve(f.companion().image()),
                                f.companion().pasId().intValue(), companion.orElseThrow());
                case REMOTEPROC -> new Method.Remoteproc(f.remoteproc(),
                        Optional.ofNullable(f.firmware()).orElse(image.getFileName().toString()),
                        carveout.<KernelCarveout>map(KernelCarveout.Named::new).orElse(new KernelCarveout.FromDeviceTree()));
            };
            return Optional.of(new Entry(f.name(), order, where.line(at), image, method,
                    Optional.ofNullable(f.after()).orElse(List.of())));
        }

        private Path resolve(String image) {
            return file.toAbsolutePath().getParent().resolve(image).normalize();
        }

        /** The companion's carveout, once every field of the companion is there and right. */
        private Optional<CarveoutRef> companion(String at, String label, CompanionForm f, Map<Integer, String> pasIds) {
            int before = problems.size();
            required(at, label, "companion image", f.image() == null || f.image().isBlank() ? null : f.image(), "");
            required(at, label, "companion pas_id", f.pasId(), " (the DTB image's own PAS id)");
            required(at, label, "companion carveout", f.carveout(), " (the DTB image's own memory region)");
            Optional<CarveoutRef> carveout = f.carveout() == null ? Optional.empty() : carveout(at + ".carveout", label, f.carveout());
            if (f.pasId() != null && f.pasId() > Integer.MAX_VALUE) {
                problem(at + ".pas_id", label, "companion pas id " + f.pasId() + " is above 2^31 - 1");
            } else if (f.pasId() != null) {
                unique(pasIds, f.pasId().intValue(), at + ".pas_id", "pas id " + f.pasId(), true);
            }
            return problems.size() != before ? Optional.empty() : carveout;
        }

        private Optional<CarveoutRef> carveout(String at, String label, CarveoutForm form) {
            if (form.spec() == null) {
                problem(at + ".spec", label, "spec is required (" + CarveoutSpec.FORMS + ")");
                return Optional.empty();
            }
            CarveoutSpec spec;
            try {
                spec = CarveoutSpec.parse(form.spec());
            } catch (UsageFailure e) {
                problem(at, label, e.getMessage());
                return Optional.empty();
            }
            if (spec instanceof CarveoutSpec.Reserved reserved) {
                if (form.phys() != null || form.size() != null) {
                    problem(at, label, "a reserved: carveout is the whole region: give no phys or size");
                    return Optional.empty();
                }
                return Optional.of(new CarveoutRef.Reserved(reserved));
            }
            if (form.phys() == null || form.size() == null) {
                problem(at, label, "carveout " + spec + " needs phys and size (only reserved:NAME knows its own)");
                return Optional.empty();
            }
            PhysAddr phys = PhysAddr.of(form.phys());
            List<String> refused = Carveouts.problems(phys, form.size(), Carveouts.Names.FIELDS);
            refused.forEach(p -> problem(at, label, p));
            return refused.isEmpty() ? Optional.of(new CarveoutRef.Explicit(spec, phys, form.size())) : Optional.empty();
        }

        private void required(String at, String label, String field, Object value, String why) {
            if (value == null) {
                problem(at, label, field + " is required" + why);
            }
        }

        private void absent(String at, String label, String field, Object value, String method) {
            if (value != null) {
                problem(at + "." + field, label, field + " does not apply to method " + method);
            }
        }

        private <K> void unique(Map<K, String> seen, K key, String at, String what, boolean given) {
            String first = seen.putIfAbsent(key, at);
            if (first != null && given) {
                problem(at, what + " is also used on line " + where.line(first));
            }
        }

        /** The board's fuses, each fact that is unknown or of the wrong kind a problem on the facts line. */
        private BoardFacts facts(Map<String, Object> form) {
            if (form == null) {
                return BoardFacts.NONE;
            }
            List<String> wrong = new ArrayList<>();
            BoardFacts facts = FactsFile.of(form, wrong);
            wrong.forEach(w -> problem("facts", "facts: " + w));
            return facts;
        }

        /**
         * {@code host:} with its {@code iommu_map:} windows, each written as {@code load --iommu-map}
         * takes it. Only identity windows: the EL2 path maps a carveout 1:1 (iova = physical
         * address, as the kernel does), and a manifest gives no DMA address a translated window
         * could serve. Windows without {@code host: el2} would be ignored, so they are refused.
         */
        private OsLevel host(Host host, List<String> iommuMap) {
            if (host == Host.HYPERVISOR) {
                if (iommuMap != null) {
                    problem("iommu_map", "iommu_map: applies to host: el2 only (under a hypervisor the hypervisor "
                            + "programs the remote processors' IOMMU)");
                }
                return new OsLevel.Hypervisor();
            }
            List<IommuMap.Identity> windows = new ArrayList<>();
            List<String> given = Optional.ofNullable(iommuMap).orElse(List.of());
            for (int i = 0; i < given.size(); i++) {
                String at = "iommu_map[" + i + "]";
                try {
                    if (IommuMap.Window.parse(String.valueOf(given.get(i))) instanceof IommuMap.Identity identity) {
                        windows.add(identity);
                    } else {
                        problem(at, at + ": '" + given.get(i) + "' is a translated window: the carveout is mapped 1:1, "
                                + "give DEVICE:identity=BASE+SIZE");
                    }
                } catch (IllegalArgumentException e) {
                    problem(at, at + ": " + e.getMessage());
                }
            }
            try {
                return new OsLevel.El2(windows);
            } catch (IllegalArgumentException overlapping) {
                problem("iommu_map", "iommu_map: " + overlapping.getMessage());
                return new OsLevel.El2(List.of());
            }
        }

        /** The manifest's kernel setting; the board's own when absent or refused. */
        private Manifest.Kernel kernel(String version) {
            if (version == null) {
                return Manifest.Kernel.BOARDS_OWN;
            }
            try {
                return new Manifest.Kernel.Named(KernelRules.of(version));
            } catch (IllegalArgumentException e) {
                problem("kernel", "kernel: " + e.getMessage());
                return Manifest.Kernel.BOARDS_OWN;
            }
        }

        private void problem(String at, String label, String message) {
            problem(at, "processor " + label + ": " + message);
        }

        private void problem(String at, String message) {
            problems.add(file + ":" + where.line(at) + ": " + message);
        }
    }
}
