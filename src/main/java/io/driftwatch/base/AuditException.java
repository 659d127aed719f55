package io.driftwatch.base;

/**
 * An audit that cannot produce a trustworthy result: the message is one line naming what failed
 * and where (never a password), and {@link #exitCode()} says which documented exit code applies.
 * No report is written when this is thrown.
 */
public final class AuditException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    /**
     * @param exitCode the documented exit code
     * @param message  one human line, e.g. {@code cannot reach postgresql://app@db:5432/shop: Connection refused}
     * @param cause    underlying exception (shown with {@code --verbose}), may be null
     */
    public AuditException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the exit code the CLI must return */
    public ExitCode exitCode() {
        return exitCode;
    }
}
