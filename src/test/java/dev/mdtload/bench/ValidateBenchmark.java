package dev.mdtload.bench;

import dev.mdtload.cli.CommandTree;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Validate throughput on the real images, in MB/s (10^6 bytes) of segment bytes hashed: the
 * {@code megabytes} counter is divided by time, so JMH prints it as MB/s, comparable with
 * {@code openssl speed -evp sha256}'s 1000-byte "k" figures. Bytes hashed per run are counted
 * by the tests' own reader: every segment with file bytes except the hash segment.
 * Run with {@code make bench} (all) or {@code make bench BENCH=ValidateBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ValidateBenchmark {

    static long hashedBytes(RealImage image) throws IOException {
        return image.raw().phdrs().stream().filter(p -> p.qcomType() != 2).mapToLong(RawElf.Phdr::filesz).sum();
    }

    @State(Scope.Benchmark)
    public static class OneImage {
        @Param({"M3_FW", "Q6_FW", "WPSS", "VENUS", "A650_ZAP", "MBA"})
        public RealImage image;
        Path path;
        double megabytes;
        final Validator validator = new Validator(false);

        @Setup
        public void setup() throws IOException {
            path = image.path();
            megabytes = hashedBytes(image) / 1e6;
            if (!validator.validate(path).valid()) {
                throw new IllegalStateException(path + " must be valid to be measured");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Directory {
        Path directory;
        double megabytes;
        CommandLine cli;

        @Setup
        public void setup() throws IOException {
            directory = RealImage.firmwareDirectory();
            for (RealImage image : RealImage.values()) {
                megabytes += hashedBytes(image) / 1e6;
            }
            cli = CommandTree.commandLine();
            cli.setOut(new PrintWriter(Writer.nullWriter()));
            cli.setErr(new PrintWriter(Writer.nullWriter()));
        }
    }

    /** The hashing path alone (DigestAlgorithm over native memory, one thread), as a baseline for validate. */
    @State(Scope.Benchmark)
    public static class Bytes {
        static final int SIZE = 8 << 20;

        @Param({"SHA256", "SHA384"})
        public DigestAlgorithm algorithm;
        MemorySegment data;

        @Setup
        public void setup() {
            byte[] random = new byte[SIZE];
            new Random(1).nextBytes(random);
            data = Arena.ofAuto().allocate(SIZE);
            MemorySegment.copy(random, 0, data, ValueLayout.JAVA_BYTE, 0, SIZE);
        }
    }

    /** Megabytes hashed, reported per second beside the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Hashed {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    /** One image, its segments hashed in parallel. */
    @Benchmark
    public ImageReport singleImage(OneImage s, Hashed hashed) throws IOException {
        ImageReport report = s.validator.validate(s.path);
        hashed.megabytes += s.megabytes;
        return report;
    }

    /** 8 MiB of native memory through {@link DigestAlgorithm#digest}, on one thread. */
    @Benchmark
    public byte[] digestOnly(Bytes b, Hashed hashed) {
        byte[] digest = b.algorithm.digest(b.data);
        hashed.megabytes += Bytes.SIZE / 1e6;
        return digest;
    }

    /** {@code mdtload validate ../shared/firmware}, in-process: search, six images in parallel, verdicts. */
    @Benchmark
    public int wholeDirectory(Directory d, Hashed hashed) {
        int exit = d.cli.execute("validate", d.directory.toString());
        if (exit != 0) {
            throw new IllegalStateException("validate exited " + exit);
        }
        hashed.megabytes += d.megabytes;
        return exit;
    }
}
