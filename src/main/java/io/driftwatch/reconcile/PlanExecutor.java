package io.driftwatch.reconcile;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Applies a {@link Plan} to a database statement by statement in auto-commit mode, so
 * non-transactional statements ({@code CREATE INDEX CONCURRENTLY}) run as they would from psql.
 * Used by the verifier and by tests; never pointed at an audited database.
 */
public final class PlanExecutor {

    private PlanExecutor() {
    }

    /**
     * @param connection         an open connection to a database Driftwatch may write to
     * @param plan               the plan
     * @param includeDestructive execute destructive statements too (else they are skipped, as in
     *                           a bridge written without {@code --allow-destructive})
     * @throws StatementFailedException naming the failing statement and the server's message
     */
    public static void apply(Connection connection, Plan plan, boolean includeDestructive)
            throws StatementFailedException {
        boolean auto;
        try {
            auto = connection.getAutoCommit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StatementFailedException("cannot switch to auto-commit: " + e.getMessage(), null, e);
        }
        try {
            for (Statement s : plan.statements()) {
                if (s.destructive() && !includeDestructive) {
                    continue;
                }
                try (java.sql.Statement st = connection.createStatement()) {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    throw new StatementFailedException(s.why() + ": " + firstLine(e.getMessage())
                            + (e.getSQLState() != null ? " (SQLState " + e.getSQLState() + ")" : ""), s, e);
                }
            }
        } finally {
            try {
                connection.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // connection is unusable anyway
            }
        }
    }

    /**
     * Creates {@code model} in an empty database: the planner's DDL from nothing to the model
     * ({@code plan(empty, model)}, destructive statements included), applied statement by statement.
     * This is how the bridge verifier and the gate's rehearsal clone a live schema into a shadow.
     *
     * @param dialect    the database engine whose planner writes the DDL
     * @param connection an open connection to an empty database Driftwatch may write to
     * @param model      the schema to create
     * @throws StatementFailedException naming the failing statement and the server's message
     */
    public static void createSchema(io.driftwatch.dialect.Dialect dialect, Connection connection,
                                    io.driftwatch.model.SchemaModel model) throws StatementFailedException {
        Plan ddl = dialect.plan(io.driftwatch.model.SchemaModel.empty(), model, new PlanOptions(false, true));
        apply(connection, ddl, true);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    /** A statement of a plan that the server refused. */
    public static final class StatementFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Statement statement;

        /**
         * @param message   one line: what the statement was for and the server's message
         * @param statement the failing statement, may be null
         * @param cause     the driver's exception
         */
        public StatementFailedException(String message, Statement statement, Throwable cause) {
            super(message, cause);
            this.statement = statement;
        }

        /** @return the failing statement, may be null */
        public Statement statement() {
            return statement;
        }
    }
}
