package io.driftwatch.base;

/**
 * Receives progress from a running audit; the CLI shows it on a terminal and stays quiet otherwise.
 */
public interface AuditListener {

    /** A listener that ignores everything. */
    AuditListener QUIET = new AuditListener() {
    };

    /**
     * A step starts, e.g. {@code reading live catalog}.
     *
     * @param what lower-case phrase
     */
    default void step(String what) {
    }

    /**
     * The step started last has finished.
     *
     * @param what   the same phrase
     * @param millis how long it took, in milliseconds
     */
    default void stepDone(String what, long millis) {
    }

    /**
     * Something the user should know even when not on a terminal (shadow choice, version
     * mismatch); lines starting with {@code warning:} are warnings.
     *
     * @param line one line
     */
    default void note(String line) {
    }
}
