package io.driftwatch.base;

/**
 * Process exit codes of the CLI, as documented in README.md and {@code ../shared/DESIGN.md}.
 */
public enum ExitCode {
    /** nothing at or above {@code --fail-on} */
    CLEAN(0),
    /** drift or history findings at or above {@code --fail-on} */
    FINDINGS(1),
    /** usage or configuration error (bad flag, missing migrations folder, no version table, ...) */
    USAGE(2),
    /**
     * a database (target or shadow) could not be reached, refused the login, or did not answer in
     * time (no login within {@code --connect-timeout}, a read past {@code --lock-timeout} or
     * {@code --statement-timeout}, no reply within the socket timeout)
     */
    UNREACHABLE(3),
    /** the migrations could not be replayed into the shadow database */
    REPLAY_FAILED(4),
    /** {@code driftwatch gate}: another migration is running now (Flyway's lock held or DDL in progress) */
    BUSY(5),
    /**
     * the output (reports, a bridge or stamp script, a snapshot) could not be written: a full disk, a read-only
     * folder, a path through a regular file; no report is left behind
     */
    OUTPUT(6),
    /** a bug in Driftwatch */
    INTERNAL(70);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** @return the numeric process exit code */
    public int code() {
        return code;
    }
}
