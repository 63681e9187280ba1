package dev.mdtload.fuzz;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.testing.FixedSigner;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the seed inputs of every fuzz target into its Jazzer inputs directory
 * ({@code src/test/resources/dev/mdtload/fuzz/<Test>Inputs/<method>/seed-*}), where the normal
 * test run also replays them. Run by {@code scripts/fuzz} before fuzzing, so samples that appear
 * later join the corpus; the output is deterministic, so an unchanged corpus leaves git clean.
 *
 * <p>Real images are big because of their code, not their headers. Each is re-assembled with
 * its own header values, signature and chain, but every segment cut to {@link #KEEP} bytes and the
 * file packed without page padding; the digests are recomputed, so the seed still validates and
 * the fuzzer starts from inputs that reach the digest check and the load layout.
 *
 * <p>Usage: {@code SeedCorpus SHARED_DIR SAMPLES_DIR RESOURCES_DIR}
 */
public final class SeedCorpus {
    static final int KEEP = 64;
    /** Samples larger than this are left out: they would slow every execution that starts from them. */
    static final long MAX_SEED = 64 * 1024;
    static final List<String> REAL_IMAGES = List.of(
            "ath11k/IPQ8074/hw2.0/m3_fw.mdt", "ath11k/IPQ8074/hw2.0/q6_fw.mdt", "ath11k/WCN6750/hw1.0/wpss.mdt",
            "qcom/venus-5.2/venus.mbn", "qcom/sm8250/a650_zap.mbn", "qcom/apq8096/mba.mbn");
    static final List<String> SPLIT_MDTS = REAL_IMAGES.subList(0, 3);

    private final Path resources;

    private SeedCorpus(Path resources) {
        this.resources = resources;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SeedCorpus SHARED_DIR SAMPLES_DIR RESOURCES_DIR");
            System.exit(2);
        }
        Path firmware = Path.of(args[0], "firmware");
        Path samples = Path.of(args[1]);
        SeedCorpus corpus = new SeedCorpus(Path.of(args[2]));
        corpus.write(firmware, samples);
    }

    private void write(Path firmware, Path samples) throws IOException, InvalidImageException {
        Seeds image = new Seeds(resources, ImageFuzzTest.class, "singleFileImage");
        Seeds hash = new Seeds(resources, HashSegmentFuzzTest.class, "hashSegment");
        Seeds split = new Seeds(resources, SplitPartsFuzzTest.class, "splitFileSet");
        Seeds dtb = new Seeds(resources, DeviceTreeFuzzTest.class, "flattenedBlob");
        Seeds manifest = new Seeds(resources, ManifestFuzzTest.class, "manifest");
        Path boardManifest = samples.resolve("board/manifest.yaml");
        if (Files.isRegularFile(boardManifest)) {
            // first byte: the FuzzedDataProvider's boolean choosing .json (odd) or .yaml (even)
            byte[] yaml = Files.readAllBytes(boardManifest);
            byte[] seed = new byte[yaml.length + 1];
            System.arraycopy(yaml, 0, seed, 0, yaml.length);
            manifest.add("fake-board-manifest-yaml", seed);
        }
        Path boardDtb = samples.resolve("board/board.dtb");
        if (Files.isRegularFile(boardDtb)) {
            dtb.add("fake-board-dtb", Files.readAllBytes(boardDtb));
        }
        for (String name : REAL_IMAGES) {
            String seed = Path.of(name).getFileName().toString().replace('.', '-');
            try (FirmwareImage real = FirmwareImage.open(firmware.resolve(name))) {
                for (Variant v : variants(real)) {
                    byte[] bytes = trimmed(real, v).squashed();
                    image.add(seed + v.suffix(), bytes);
                    hash.add(seed + v.suffix(), hashInput(bytes));
                }
            }
        }
        image.add("a650_zap-mbn-whole", Files.readAllBytes(firmware.resolve("qcom/sm8250/a650_zap.mbn")));
        for (String name : SPLIT_MDTS) {
            byte[] mdt = Files.readAllBytes(firmware.resolve(name));
            String seed = Path.of(name).getFileName().toString().replace('.', '-');
            image.add(seed + "-alone", mdt);
            split.add(seed + "-every-part", splitInput(mdt, SplitPartsFuzzTest.ImageEntry.FILE, SplitPartsFuzzTest.PartEntry.EXACT));
            split.add(seed + "-through-symlink", splitInput(mdt, SplitPartsFuzzTest.ImageEntry.SYMLINK, SplitPartsFuzzTest.PartEntry.EXACT));
            split.add(seed + "-hostile-parts", splitInput(mdt, SplitPartsFuzzTest.ImageEntry.FILE, SplitPartsFuzzTest.PartEntry.values()));
        }
        if (Files.isDirectory(samples)) {
            try (Stream<Path> files = Files.walk(samples)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String n = f.getFileName().toString();
                    if ((n.endsWith(".mbn") || n.endsWith(".mdt")) && Files.size(f) <= MAX_SEED) {
                        String seed = "sample-" + samples.relativize(f).toString().replace('/', '-').replace('.', '-');
                        image.add(seed, Files.readAllBytes(f));
                        if (n.endsWith(".mdt")) {
                            split.add(seed, splitInput(Files.readAllBytes(f), SplitPartsFuzzTest.ImageEntry.FILE, SplitPartsFuzzTest.PartEntry.EXACT));
                        }
                    }
                }
            }
        }
        for (Seeds s : List.of(image, hash, split, dtb, manifest)) {
            s.replaceSeeds();
        }
    }

    /** The real image as it is, and re-built as ELF64 and as every MBN version it is not, for the first image only. */
    private static List<Variant> variants(FirmwareImage real) {
        int version = real.hashSegment().orElseThrow().version();
        List<Variant> out = new ArrayList<>(List.of(new Variant(real.elfClass(), version, "")));
        if (real.path().getFileName().toString().equals("m3_fw.mdt")) {
            for (int v : HashSegment.VERSIONS) {
                out.add(new Variant(ElfClass.ELF64, v, "-elf64-v" + v));
            }
        }
        return out;
    }

    private record Variant(ElfClass elfClass, int mbnVersion, String suffix) {}

    private static Assembled trimmed(FirmwareImage real, Variant v) {
        HashSegment hash = real.hashSegment().orElseThrow();
        List<LoadSegment> loads = new ArrayList<>();
        for (ImageSegment s : real.segments().subList(2, real.segments().size())) {
            ProgramHeader p = s.phdr();
            byte[] head = s.data().asSlice(0, Math.min(KEEP, p.p_filesz())).toArray(ValueLayout.JAVA_BYTE);
            loads.add(new LoadSegment(p.p_paddr(), p.p_vaddr(), p.p_flags(), head, p.p_memsz()));
        }
        boolean sameVersion = v.mbnVersion() == hash.version();
        byte[] signature = sameVersion ? hash.signature().of(hash.bytes()).toArray(ValueLayout.JAVA_BYTE) : new byte[0];
        byte[] chain = sameVersion ? hash.certChain().of(hash.bytes()).toArray(ValueLayout.JAVA_BYTE) : new byte[0];
        return ImageAssembler.builder()
                .elfClass(v.elfClass())
                .machine(real.elf().header().e_machine())
                .entry(real.elf().header().e_entry())
                .mbnVersion(v.mbnVersion())
                .imageId(hash.imageId())
                .hashAddress(real.segment(1).phdr().p_paddr())
                .segments(loads)
                .signer(new FixedSigner(signature, chain))
                .editProgramHeaders(SeedCorpus::packed)
                .build().assemble();
    }

    /** Every segment right after the previous one: real images pad to pages, which only makes seeds long. */
    private static List<ProgramHeader> packed(List<ProgramHeader> phdrs) {
        List<ProgramHeader> out = new ArrayList<>(phdrs.size());
        long offset = 0;
        for (ProgramHeader p : phdrs) {
            out.add(new ProgramHeader(p.index(), p.p_type(), p.p_flags(), offset, p.p_vaddr(), p.p_paddr(),
                    p.p_filesz(), p.p_memsz(), p.p_align()));
            offset += p.p_filesz();
        }
        return out;
    }

    /** The hash segment of a seed image with its e_phnum in front, as {@link HashSegmentFuzzTest} reads it. */
    private static byte[] hashInput(byte[] image) throws InvalidImageException {
        Elf elf = Elf.parse(MemorySegment.ofArray(image), "seed");
        ProgramHeader h = elf.phdrs().get(1);
        byte[] out = new byte[2 + (int) h.p_filesz()];
        out[0] = (byte) elf.phdrs().size();
        out[1] = (byte) (elf.phdrs().size() >>> 8);
        System.arraycopy(image, (int) h.p_offset(), out, 2, (int) h.p_filesz());
        return out;
    }

    /**
     * The .mdt followed by the choices {@link SplitPartsFuzzTest} reads first. A FuzzedDataProvider
     * takes each small integer from the end of the input, one byte each (value modulo the range),
     * so the choices are appended in reverse.
     */
    private static byte[] splitInput(byte[] mdt, SplitPartsFuzzTest.ImageEntry image, SplitPartsFuzzTest.PartEntry... parts) {
        byte[] choices = new byte[1 + SplitPartsFuzzTest.MAX_PARTS];
        choices[0] = (byte) image.ordinal();
        for (int i = 0; i < SplitPartsFuzzTest.MAX_PARTS; i++) {
            choices[1 + i] = (byte) parts[parts.length == 1 ? 0 : i % parts.length].ordinal();
        }
        byte[] out = Arrays.copyOf(mdt, mdt.length + choices.length);
        for (int i = 0; i < choices.length; i++) {
            out[out.length - 1 - i] = choices[i];
        }
        return out;
    }

    /** The seeds of one target, written together so that stale ones disappear. */
    private static final class Seeds {
        private final Path dir;
        private final List<String> names = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        Seeds(Path resources, Class<?> test, String method) {
            this.dir = resources.resolve(test.getPackageName().replace('.', '/'))
                    .resolve(test.getSimpleName() + "Inputs").resolve(method);
        }

        void add(String name, byte[] bytes) {
            names.add("seed-" + name);
            contents.add(bytes);
        }

        void replaceSeeds() throws IOException {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path f : old.filter(f -> f.getFileName().toString().startsWith("seed-")).toList()) {
                    if (!names.contains(f.getFileName().toString())) {
                        Files.delete(f);
                    }
                }
            }
            for (int i = 0; i < names.size(); i++) {
                Path f = dir.resolve(names.get(i));
                if (!Files.exists(f) || !Arrays.equals(Files.readAllBytes(f), contents.get(i))) {
                    Files.write(f, contents.get(i));
                }
            }
        }
    }
}
