package dev.mdtload.cli;

import dev.mdtload.provision.ReportStep;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Map;
import java.util.function.Consumer;

/** A progress bar on stderr over a run's steps, shown only to a person at a terminal. */
final class ProvisionProgress implements Consumer<ReportStep>, AutoCloseable {
    private final ProgressBar bar;

    private ProvisionProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A bar of {@code steps} steps when stdout is for people and a terminal is attached, else
     * nothing. Since JDK 22 System.console() exists even when the streams are redirected, so
     * isTerminal() is what tells.
     */
    static ProvisionProgress of(boolean json, int steps) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return new ProvisionProgress(json || !terminal ? null
                : new ProgressBarBuilder().setTaskName("provision").setInitialMax(steps).hideEta()
                        .setStyle(style(System.getenv())).build());
    }

    /** Colours only where NO_COLOR (https://no-color.org) is absent or empty, as its convention says. */
    static ProgressBarStyle style(Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return noColor == null || noColor.isEmpty() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK;
    }

    @Override
    public void accept(ReportStep step) {
        if (bar == null) {
            return;
        }
        bar.setExtraMessage(step.processor().label() + " " + step.step());
        // rollback steps were never counted: the bar shows how far the bring-up got
        if (step.phase().equals(ReportStep.RUN) && !step.failed()) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
