package io.driftwatch.alembic;

import java.util.List;

/**
 * Alembic (or finding a Python that runs it) failed. {@link #getMessage()} is one line naming what
 * failed and where, never a password.
 *
 * <p>{@link #kind()} is one of the helper's kinds ({@code usage}, {@code config}, {@code script},
 * {@code graph}, {@code target}, {@code env}, {@code database}, {@code revision}, {@code internal}; see
 * {@code driftwatch_alembic.py}) or one of the Java side's: {@code python} (no usable interpreter),
 * {@code timeout} (the helper ran longer than allowed and was killed), {@code protocol} (the helper
 * wrote no JSON, e.g. it crashed), {@code io} (the helper could not be written or started).
 */
public final class AlembicException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * What the helper said about a failure, as data.
     *
     * @param kind        see {@link AlembicException}
     * @param revision    the revision being applied (kind {@code revision}) or the bad target, else null
     * @param path        the file concerned (revision file or env.py), relative to the project folder, or null
     * @param line        line in {@code path}, or null
     * @param phase       {@code upgrade} (inside the revision's upgrade()) or {@code version-table} (writing
     *                    its version row) for kind {@code revision}, else null
     * @param sql         the statement that failed, when the database refused one, else null
     * @param ranBefore   revisions whose upgrade() completed earlier in the same run (rolled back with the
     *                    failure unless env.py commits per migration or used an autocommit block)
     * @param graphErrors graph errors (kind {@code graph}), else empty
     * @param traceback   the Python traceback (masked), or null
     * @param stderr      the tail of the helper's stderr (Alembic's log, env.py's prints; masked), or null
     */
    public record Details(String kind, String revision, String path, Integer line, String phase, String sql,
                          List<String> ranBefore, List<AlembicProject.GraphError> graphErrors, String traceback,
                          String stderr) {
        /** Copies the lists. */
        public Details {
            ranBefore = ranBefore == null ? List.of() : List.copyOf(ranBefore);
            graphErrors = graphErrors == null ? List.of() : List.copyOf(graphErrors);
        }
    }

    private final transient Details details;

    /**
     * @param message one line, no password
     * @param details the structured fields
     */
    public AlembicException(String message, Details details) {
        super(message);
        this.details = details;
    }

    /**
     * @param kind    see {@link AlembicException}
     * @param message one line, no password
     * @param cause   the underlying failure
     */
    public AlembicException(String kind, String message, Throwable cause) {
        super(message, cause);
        this.details = new Details(kind, null, null, null, null, null, null, null, null, null);
    }

    /** @return the failure's kind (see the class comment) */
    public String kind() {
        return details.kind();
    }

    /** @return the revision being applied when it failed (or the bad target), or null */
    public String revision() {
        return details.revision();
    }

    /** @return every structured field */
    public Details details() {
        return details;
    }
}
