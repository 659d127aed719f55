package io.driftwatch.postgres;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.ExitCode;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns JDBC failures into one-line, password-free messages that say what to do next.
 * SQLStates from PostgreSQL's Appendix A (errcodes): {@code 28P01}/{@code 28000} authentication,
 * {@code 3D000} unknown database, {@code 08xxx} connection, {@code 57P03} server starting up,
 * {@code 57014} statement timeout, {@code 55P03} lock timeout, {@code 42501} permission.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * @param what    the role of the database in this run, e.g. {@code target} or {@code shadow}
     * @param spec    where we tried to connect (printed without password)
     * @param e       the driver's exception
     * @return an {@link AuditException} with exit code 3 and a one-line message
     */
    public static AuditException connectFailure(String what, ConnectionSpec spec, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = spec.display();
        String msg;
        Throwable root = rootCause(e);
        if (state.equals("28P01") || state.equals("28000")) {
            msg = "login to " + what + " " + where + " failed: " + firstLine(e.getMessage())
                    + " (check --user/--password, PGUSER/PGPASSWORD)";
        } else if (state.equals("3D000")) {
            msg = what + " database \"" + spec.database() + "\" does not exist on " + spec.host() + ":" + spec.port()
                    + " (check the database name in --url)";
        } else if (root instanceof UnknownHostException) {
            msg = "cannot reach " + what + " " + where + ": unknown host " + spec.host();
        } else if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            msg = "cannot reach " + what + " " + where + ": " + firstLine(root.getMessage())
                    + " (is the server running and accepting TCP connections on port " + spec.port() + "?)";
        } else if (root instanceof SocketTimeoutException) {
            msg = "cannot reach " + what + " " + where + ": no answer within " + seconds(spec.loginTimeout())
                    + " (--connect-timeout)";
        } else if (state.equals("08001") && e.getMessage() != null && e.getMessage().contains("timed out")) {
            // pgJDBC's loginTimeout: TCP was accepted but the server never completed the start-up
            msg = "cannot reach " + what + " " + where + ": no answer within " + seconds(spec.loginTimeout())
                    + " (--connect-timeout): the server accepts TCP connections on port " + spec.port()
                    + " but does not respond";
        } else if (state.equals("57P03")) {
            msg = what + " " + where + " is starting up or shutting down; try again shortly";
        } else {
            msg = "cannot connect to " + what + " " + where + ": " + firstLine(e.getMessage());
        }
        return new AuditException(ExitCode.UNREACHABLE, ConnectionSpec.maskUrl(msg), e);
    }

    /**
     * @param what what we were doing, e.g. {@code reading the catalog of postgresql://app@db/shop}
     * @param e    the driver's exception
     * @return an {@link AuditException} (exit 3) whose message names the step and the server's reason
     */
    public static AuditException queryFailure(String what, SQLException e) {
        return queryFailure(what, e, null, null);
    }

    /**
     * Like {@link #queryFailure(String, SQLException)}, naming the timeout that was reached:
     * {@code 57014} (statement timeout) gives
     * {@code <what>: a statement ran longer than --statement-timeout (1 ms) and was canceled by the
     * server; raise --statement-timeout}, {@code 55P03} (lock timeout) names {@code --lock-timeout},
     * a driver socket timeout says the server stopped answering. These are exit 3 like an unreachable
     * server: the database did not answer in time (README, exit codes).
     *
     * @param what             what we were doing
     * @param e                the driver's exception
     * @param lockTimeout      the {@code lock_timeout} in force, or null when not known
     * @param statementTimeout the {@code statement_timeout} in force, or null when not known
     * @return an {@link AuditException} with exit code 3 and a one-line message
     */
    public static AuditException queryFailure(String what, SQLException e, java.time.Duration lockTimeout,
                                              java.time.Duration statementTimeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg;
        if (state.equals("57014")) {
            msg = what + ": a statement ran longer than --statement-timeout"
                    + (statementTimeout == null ? "" : " (" + seconds(statementTimeout) + ")")
                    + " and was canceled by the server; raise --statement-timeout";
        } else if (state.equals("55P03")) {
            msg = what + ": waited longer than --lock-timeout" + (lockTimeout == null ? "" : " (" + seconds(lockTimeout) + ")")
                    + " for a lock another session holds (DDL in progress?); retry, or raise --lock-timeout";
        } else if (rootCause(e) instanceof SocketTimeoutException) {
            msg = what + ": the server stopped answering (no reply within the socket timeout, --statement-timeout"
                    + " plus 30 s)";
        } else {
            String hint = state.equals("42501")
                    ? " (permission denied; the role needs CONNECT on the database and USAGE on the schemas)" : "";
            msg = what + " failed: " + firstLine(e.getMessage()) + hint;
        }
        return new AuditException(ExitCode.UNREACHABLE, ConnectionSpec.maskUrl(msg), e);
    }

    /** @return {@code 2 s}, {@code 1.5 s} or {@code 500 ms} */
    static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** @return the first line of a (possibly multi-line) driver message, never null */
    public static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
