package io.driftwatch.tool;

/**
 * The replay of these revisions gives a different schema each time (Flyway's {@code ${flyway:timestamp}}),
 * or an input cannot be read, so its expected model must not be cached. The message is one line for
 * the user; the audit notes it and replays.
 */
public final class UncacheableException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the revision and why
     * @param cause   the underlying error, may be null
     */
    public UncacheableException(String message, Throwable cause) {
        super(message, cause);
    }
}
