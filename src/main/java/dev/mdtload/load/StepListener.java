package dev.mdtload.load;

/**
 * Hears each step of a load as it ends, so a progress bar moves and a report can say which step
 * failed and what the loader undid after it (wipe, shutdown).
 */
public interface StepListener {
    StepListener NONE = new StepListener() {};

    default void finished(LoadResult.Step step) {}

    /** Step {@code name} threw {@code failure} after {@code micros}; the exception still propagates. */
    default void failed(String name, long micros, Exception failure) {}
}
