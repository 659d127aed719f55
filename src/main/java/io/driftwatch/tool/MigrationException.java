package io.driftwatch.tool;

/**
 * The migration scripts or the Flyway configuration cannot be used: a missing or empty folder, a
 * misnamed or duplicate script, an unreadable or malformed {@code flyway.toml}/{@code flyway.conf}.
 * The message is one line naming the file or folder concerned (the CLI maps it to exit code 2).
 */
public final class MigrationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming what is wrong and where */
    public MigrationException(String message) {
        super(message);
    }

    /**
     * @param message one line naming what is wrong and where
     * @param cause   the underlying error (I/O, parser, Flyway)
     */
    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
