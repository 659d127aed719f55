package io.driftwatch.dialect;

/**
 * No shadow server could be opened. The message is one line naming each provider tried and why it
 * failed, e.g. {@code local: no PostgreSQL binaries found (PG_BIN, PATH, /usr/lib/postgresql/*}{@code /bin);
 * docker: no Docker engine found (...)}. It never contains a password.
 */
public final class ShadowUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: providers tried and why each failed
     */
    public ShadowUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message one line: providers tried and why each failed
     * @param cause   the underlying failure (kept for stack traces; its message is already summarised)
     */
    public ShadowUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
