package dev.mdtload.image;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Loadable segments that overlap in memory, judged as the device would. The kernel copies them in
 * table order, each followed by its zero fill, without an overlap check, and the secure world then
 * hashes each segment's file bytes from memory. So an overlap matters only where a segment later in
 * the table writes over file bytes of an earlier one ({@link Rule#SEGMENTS_OVERLAP}); an overlap
 * of zero fill leaves every hashed byte as signed ({@link Rule#ZERO_FILL_OVERLAP}: wcnss.mbn of
 * the DragonBoard 410c has two bss segments at one address).
 *
 * <p>One sweep in address order, with two max-trees over table indices, finds for each segment the
 * earlier-placed segments it overlaps: O(n log n) for 65535 headers, never all pairs.
 */
final class MemoryOverlaps {
    private MemoryOverlaps() {}

    static void check(String name, List<ProgramHeader> loadable, List<Violation> violations) {
        int n = loadable.size();
        List<Integer> byAddress = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingLong((Integer i) -> loadable.get(i).p_paddr()).thenComparingInt(i -> i))
                .toList();
        // over positions in table order: the furthest file-byte end and memory end placed so far
        MaxTree fileEnds = new MaxTree(n);
        MaxTree memEndsAfter = new MaxTree(n);
        MaxTree memEnds = new MaxTree(n);
        for (int k : byAddress) {
            ProgramHeader s = loadable.get(k);
            long start = s.p_paddr();
            // an earlier segment whose file bytes this one (written after it) covers
            int overwritten = fileEnds.argMaxBefore(k);
            // a later segment (written after this one) that covers this one's file bytes
            int overwriter = memEndsAfter.argMaxBefore(n - 1 - k);
            int any = memEnds.argMaxBefore(n);
            if (overwritten >= 0 && fileEnds.value(overwritten) > start) {
                violations.add(clobber(name, s, loadable.get(overwritten)));
            } else if (s.p_filesz() > 0 && overwriter >= 0 && memEndsAfter.value(overwriter) > start) {
                violations.add(clobber(name, loadable.get(n - 1 - overwriter), s));
            } else if (any >= 0 && memEnds.value(any) > start) {
                ProgramHeader other = loadable.get(any);
                violations.add(Violation.of(Rule.ZERO_FILL_OVERLAP, name, s.index(), String.format(
                        "0x%x..0x%x overlaps segment %d at 0x%x..0x%x in zero fill only", start, start + s.p_memsz(),
                        other.index(), other.p_paddr(), other.p_paddr() + other.p_memsz())));
            }
            fileEnds.put(k, start + s.p_filesz());
            memEndsAfter.put(n - 1 - k, start + s.p_memsz());
            memEnds.put(k, start + s.p_memsz());
        }
    }

    /** {@code later} (in table order) is written over file bytes of {@code earlier}. */
    private static Violation clobber(String name, ProgramHeader later, ProgramHeader earlier) {
        return Violation.of(Rule.SEGMENTS_OVERLAP, name, later.index(), String.format(
                "0x%x..0x%x is written over the file bytes of segment %d at 0x%x..0x%x, which the secure world "
                        + "then hashes", later.p_paddr(), later.p_paddr() + later.p_memsz(), earlier.index(),
                earlier.p_paddr(), earlier.p_paddr() + earlier.p_filesz()));
    }

    /**
     * A Fenwick tree of maxima over positions 0..n-1, values only ever raised: the position of the
     * largest value among positions below a bound, in O(log n).
     */
    private static final class MaxTree {
        private final long[] values;
        private final int[] tree;

        MaxTree(int n) {
            values = new long[n];
            Arrays.fill(values, Long.MIN_VALUE);
            tree = new int[n + 1];
            Arrays.fill(tree, -1);
        }

        void put(int position, long value) {
            values[position] = value;
            for (int i = position + 1; i < tree.length; i += i & -i) {
                if (tree[i] < 0 || values[tree[i]] < value) {
                    tree[i] = position;
                }
            }
        }

        /** The position of the largest value among positions below {@code bound}, or -1 when none is set. */
        int argMaxBefore(int bound) {
            int best = -1;
            for (int i = bound; i > 0; i -= i & -i) {
                if (tree[i] >= 0 && (best < 0 || values[tree[i]] > values[best])) {
                    best = tree[i];
                }
            }
            return best;
        }

        long value(int position) {
            return values[position];
        }
    }
}
