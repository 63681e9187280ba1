package dev.mdtload.image;

import dev.mdtload.check.HashWork;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.crypto.FileRegion;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.parallel.BiggestFirst;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file ranges an image's digests are computed over, each distinct range once. Segments of one
 * file are slices of one mapping (and different files are different mappings), so a range is
 * known by its mapped address and length, though its bytes are read from the open file: two program headers over the same bytes share one digest, and
 * 65535 headers over the same megabytes cost one pass over them. What distinct ranges cannot
 * share (many overlapping ranges, each a little different) is bounded by {@link HashWork}: the
 * plan says how many bytes it would hash before any is hashed.
 */
final class HashPlan {
    /** A slice of a mapped file: the mapping's address identifies the file and the offset. */
    record Range(long address, long length) {
        static Range of(MemorySegment data) {
            return new Range(data.address(), data.byteSize());
        }

        long end() {
            return address + length;
        }
    }

    private final Map<Range, FileRegion> ranges;
    private final List<ImageSegment> segments;
    private final long bytes;
    private final AtomicLong hashed = new AtomicLong();

    private HashPlan(Map<Range, FileRegion> ranges, List<ImageSegment> segments) {
        this.ranges = ranges;
        this.segments = segments;
        this.bytes = ranges.keySet().stream().mapToLong(Range::length).sum();
    }

    /** The plan for the {@code hashed} segments, each with file bytes mapped. */
    static HashPlan of(List<ImageSegment> hashed) {
        Map<Range, FileRegion> ranges = new LinkedHashMap<>();
        for (ImageSegment s : hashed) {
            if (s.bytes() instanceof ImageSegment.Bytes.Read read) {
                ranges.putIfAbsent(Range.of(read.data()), read.region());
            }
        }
        return new HashPlan(ranges, hashed);
    }

    /** Bytes the plan hashes: the sum of its distinct ranges. */
    long bytes() {
        return bytes;
    }

    /** Bytes hashed so far by {@link #digests}: never more than {@link #bytes()}. */
    long hashed() {
        return hashed.get();
    }

    /** Whether the plan stays within {@link HashWork#budget} of {@code inputBytes}. */
    boolean withinBudget(long inputBytes) {
        return bytes <= HashWork.budget(inputBytes);
    }

    /** The refusal of a plan past the budget, before anything is hashed. */
    Violation refusal(String name, long inputBytes) {
        return Violation.of(Rule.HASH_WORK_EXCEEDED, name, String.format(
                "%d distinct file ranges of %d segments would hash %d bytes, more than %d x the %d bytes of the image "
                        + "and its parts", ranges.size(), segments.size(), bytes, HashWork.FACTOR, inputBytes));
    }

    /**
     * The digest of every distinct range, on every core, biggest first; a range whose file could
     * not be read to its end (cut short after it was opened, or an I/O error) has none.
     */
    Map<Range, byte[]> digests(DigestAlgorithm algorithm) {
        Map<Range, byte[]> out = new ConcurrentHashMap<>();
        BiggestFirst.map(List.copyOf(ranges.entrySet()), e -> e.getKey().length(), e -> {
            try {
                out.put(e.getKey(), algorithm.digest(e.getValue()));
                hashed.addAndGet(e.getKey().length());
            } catch (IOException unread) {
                // no digest: the segments of this range report part-changed
            }
            return e.getKey();
        });
        return out;
    }

    /**
     * A warning for each segment whose file bytes overlap bytes of another (found by one sweep in
     * address order, against the segment reaching furthest so far).
     */
    List<Violation> sharedBytes(String name) {
        List<ImageSegment> byAddress = segments.stream()
                .sorted(Comparator.comparingLong((ImageSegment s) -> s.data().address()).thenComparingInt(ImageSegment::index))
                .toList();
        List<Violation> shared = new ArrayList<>();
        ImageSegment reach = null;
        for (ImageSegment s : byAddress) {
            Range r = Range.of(s.data());
            if (reach != null && r.address() < Range.of(reach.data()).end()) {
                shared.add(Violation.of(Rule.FILE_BYTES_OVERLAP, name, s.index(), String.format(
                        "p_offset 0x%x + p_filesz 0x%x of %s shares file bytes with segment %d (p_offset 0x%x + p_filesz 0x%x)",
                        s.phdr().p_offset(), s.phdr().p_filesz(), s.sourceName(), reach.index(),
                        reach.phdr().p_offset(), reach.phdr().p_filesz())));
            }
            if (reach == null || r.end() > Range.of(reach.data()).end()) {
                reach = s;
            }
        }
        return shared;
    }
}
