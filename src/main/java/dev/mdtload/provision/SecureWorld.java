package dev.mdtload.provision;

import dev.mdtload.load.Loader;
import dev.mdtload.scm.SecureMonitor;

import java.io.IOException;

/**
 * The secure world of one run: opened only when the plan loads an image through it, so a manifest
 * of remoteproc entries alone opens no simulation and writes no record of calls.
 */
sealed interface SecureWorld extends AutoCloseable {
    /** The loader for the plan's scm entries. */
    Loader loader();

    /** What an scm entry is once started: "running", or "recorded" when the calls were only written down. */
    String started();

    @Override
    void close() throws IOException;

    record Opened(SecureMonitor monitor, Loader loader) implements SecureWorld {
        @Override
        public String started() {
            return monitor.authenticates() ? "running" : "recorded";
        }

        @Override
        public void close() throws IOException {
            monitor.close();
        }
    }

    /** The plan has no scm entry, so nothing ever asks for a loader. */
    record Unopened() implements SecureWorld {
        @Override
        public Loader loader() {
            throw new IllegalStateException("a plan without scm entries loads nothing through the secure world");
        }

        @Override
        public String started() {
            return "running";
        }

        @Override
        public void close() {
        }
    }
}
