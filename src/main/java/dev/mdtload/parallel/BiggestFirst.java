package dev.mdtload.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Maps a list on every core, taking the items biggest first. A parallel stream splits a list into
 * halves by position, so one core can be left with the two biggest images while the other finishes
 * early; here each thread takes the biggest item nobody has started, which keeps both busy until
 * the end (greedy longest-first scheduling).
 *
 * <p>The calling thread works too, and only waits for a helper that has taken an item: a helper
 * still queued behind other work in the common pool is called off instead. So a map inside a map
 * (the segments of each image, the images of a directory) never sits idle waiting for the pool.
 */
public final class BiggestFirst {
    private BiggestFirst() {}

    /** {@code f} of each item, in the items' order, computed biggest {@code size} first ({@code size} asked once per item). */
    public static <T, R> List<R> map(List<T> items, ToLongFunction<? super T> size, Function<? super T, ? extends R> f) {
        // each size once: a sort asks for them again at every comparison, and measuring an image
        // on disk is a stat, or a directory read for a split one
        long[] sizes = items.stream().mapToLong(size).toArray();
        Integer[] order = new Integer[items.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
        Object[] results = new Object[items.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int k; (k = next.getAndIncrement()) < order.length; ) {
                results[order[k]] = f.apply(items.get(order[k]));
            }
        };
        List<Helper> helpers = new ArrayList<>();
        for (int i = 0; i < Math.min(items.size() - 1, ForkJoinPool.getCommonPoolParallelism()); i++) {
            helpers.add(new Helper(work));
        }
        helpers.forEach(h -> ForkJoinPool.commonPool().execute(h::runIfNotCalledOff));
        Throwable failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Helper h : helpers) {
            failure = h.awaitUnlessCalledOff(failure);
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            // f is a Function, so nothing checked can have been thrown
            throw (RuntimeException) failure;
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return Collections.unmodifiableList(list);
    }

    /** One extra thread's share: it runs only if it starts before the caller calls it off. */
    private static final class Helper {
        private final Runnable work;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Helper(Runnable work) {
            this.work = work;
        }

        void runIfNotCalledOff() {
            if (claimed.compareAndSet(false, true)) {
                try {
                    work.run();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }
        }

        /** Waits for a helper that started (it holds an item); returns the first failure seen. */
        Throwable awaitUnlessCalledOff(Throwable failure) {
            if (claimed.compareAndSet(false, true)) {
                return failure;
            }
            try {
                done.join();
                return failure;
            } catch (CompletionException e) {
                return failure != null ? failure : e.getCause();
            }
        }
    }
}
