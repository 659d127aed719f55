package io.driftwatch.tool;

/**
 * The Flyway version table exists but the connected role may not read it (SQLState {@code 42501}).
 * The message names the table and role and suggests the {@code GRANT} that fixes it (rule DW212).
 */
public final class HistoryUnreadableException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the table, the role and the fix
     * @param cause   the server's error
     */
    public HistoryUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
