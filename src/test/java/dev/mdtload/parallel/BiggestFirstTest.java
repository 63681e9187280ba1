package dev.mdtload.parallel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BiggestFirstTest {
    private static final List<Long> SIZES = List.of(5L, 90L, 1L, 40L, 90L, 7L, 300L, 2L);

    @Test
    void map_returnsEachItemsResult_inTheItemsOrder() {
        List<String> results = BiggestFirst.map(SIZES, Long::longValue, n -> "#" + n);
        assertEquals(SIZES.stream().map(n -> "#" + n).toList(), results);
        assertEquals(List.of(), BiggestFirst.map(List.<Long>of(), Long::longValue, n -> n));
    }

    /** Measuring an image is a stat or a directory read: the sort must not measure it at every comparison. */
    @Test
    void map_asksEachItemsSizeOnce() {
        Map<Long, Integer> asked = new ConcurrentHashMap<>();
        List<Long> distinct = List.of(5L, 90L, 1L, 40L, 91L, 7L, 300L, 2L, 64L, 33L, 12L, 8L);
        BiggestFirst.map(distinct, n -> {
            asked.merge(n, 1, Integer::sum);
            return n;
        }, n -> n);
        assertEquals(distinct.stream().collect(Collectors.toMap(n -> n, n -> 1)), asked);
    }

    /**
     * With every worker of the common pool held, the calling thread does all the work alone, in
     * the order it takes items: the biggest first. (A parallel stream would block here instead,
     * or take them in list order.)
     */
    @Test
    void map_takesTheBiggestFirst_andFinishesOnTheCallingThread_whenThePoolIsBusy() throws Exception {
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
        }
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS), "every common-pool worker is held");
            List<Long> taken = Collections.synchronizedList(new ArrayList<>());
            Thread caller = Thread.currentThread();
            List<Boolean> onCaller = BiggestFirst.map(SIZES, Long::longValue, n -> {
                taken.add(n);
                return Thread.currentThread() == caller;
            });
            assertEquals(List.of(300L, 90L, 90L, 40L, 7L, 5L, 2L, 1L), taken);
            assertTrue(onCaller.stream().allMatch(b -> b), onCaller::toString);
        } finally {
            release.countDown();
        }
    }

    @Test
    void map_insideMap_usesBothLevelsAndCompletes() {
        List<List<Integer>> outer = IntStream.range(0, 8).mapToObj(i -> IntStream.range(0, 50).boxed().toList()).toList();
        Function<List<Integer>, Integer> sum = inner ->
                BiggestFirst.map(inner, i -> i, i -> i * 2).stream().mapToInt(Integer::intValue).sum();
        assertEquals(Collections.nCopies(8, 2 * (49 * 50 / 2)), BiggestFirst.map(outer, List::size, sum));
    }

    @Test
    void map_rethrowsTheFailureOfAnItem_asItself() {
        IllegalStateException boom = new IllegalStateException("item 40");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> BiggestFirst.map(SIZES, Long::longValue, n -> {
            if (n == 40L) {
                throw boom;
            }
            return n;
        }));
        assertSame(boom, thrown);
        InternalError fault = new InternalError("a fault occurred in an unsafe memory access operation");
        assertSame(fault, assertThrows(InternalError.class, () -> BiggestFirst.map(SIZES, Long::longValue, n -> {
            if (n == 300L) {
                throw fault;
            }
            return n;
        })));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
