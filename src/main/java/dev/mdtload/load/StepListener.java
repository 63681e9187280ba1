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

    /** This listener, hearing each step's name with {@code prefix} before it: "companion_" + "init_image". */
    default StepListener prefixed(String prefix) {
        StepListener outer = this;
        return new StepListener() {
            @Override
            public void finished(LoadResult.Step step) {
                outer.finished(new LoadResult.Step(prefix + step.name(), step.micros(), step.detail()));
            }

            @Override
            public void failed(String name, long micros, Exception failure) {
                outer.failed(prefix + name, micros, failure);
            }
        };
    }
}
