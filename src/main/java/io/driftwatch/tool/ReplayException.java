package io.driftwatch.tool;

/**
 * Migrations could not be replayed into the shadow database (the CLI maps it to exit code 4). The
 * message is one line naming the script and the server's error, e.g.
 * {@code V7__add_index.sql failed to replay: ERROR: column "foo" does not exist (SQLState 42703)}.
 */
public final class ReplayException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String script;
    private final String sqlState;
    private final Integer line;
    private final String statement;

    /**
     * @param message  one line
     * @param script   script that failed (as in the {@code script} column), or null when not one script
     * @param sqlState the server's SQLState, or null
     * @param cause    the underlying error, may be null
     */
    public ReplayException(String message, String script, String sqlState, Throwable cause) {
        this(message, script, sqlState, null, null, cause);
    }

    /**
     * @param message   one line
     * @param script    script that failed, or null
     * @param sqlState  the server's SQLState, or null
     * @param line      line of the failing statement in the script (1-based), or null
     * @param statement the failing statement as Flyway sent it, or null
     * @param cause     the underlying error, may be null
     */
    public ReplayException(String message, String script, String sqlState, Integer line, String statement,
                           Throwable cause) {
        super(message, cause);
        this.script = script;
        this.sqlState = sqlState;
        this.line = line;
        this.statement = statement;
    }

    /** @return line of the failing statement in the script (1-based), or null when unknown */
    public Integer line() {
        return line;
    }

    /** @return the failing statement (Flyway's text, placeholders replaced), or null when unknown */
    public String statement() {
        return statement;
    }

    /** @return the script that failed, or null */
    public String script() {
        return script;
    }

    /** @return the server's SQLState (e.g. {@code 42703}), or null */
    public String sqlState() {
        return sqlState;
    }
}
