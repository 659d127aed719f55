package io.driftwatch.postgres.gate;

import io.driftwatch.base.AuditException;
import io.driftwatch.postgres.DatabaseErrors;
import io.driftwatch.base.ExitCode;
import io.driftwatch.postgres.ConnectionSpec;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Waits for a PostgreSQL database to accept logins, the way a deploy pipeline waits for a database
 * container that is still starting: retry with exponential backoff until a deadline, fail fast when
 * waiting cannot help.
 *
 * <p>Backoff: 0.5 s after the first failure, doubling, capped at 5 s (0.5, 1, 2, 4, 5, 5, ...),
 * never sleeping past the deadline; one last attempt is made at the deadline.
 *
 * <p>Which failures are waited out (SQLStates from PostgreSQL's Appendix A, "PostgreSQL Error
 * Codes"): class {@code 08} (connection exception: refused, unknown host, timed out),
 * {@code 57P03} (cannot connect now: starting up or shutting down), {@code 57P01} (admin shutdown:
 * the entrypoint's temporary server is stopping), {@code 53300} (too many connections) and
 * {@code 3D000} (database does not exist: container entrypoints create it after the server starts
 * listening). Class {@code 28} (invalid authorization: wrong password, role without LOGIN, no
 * {@code pg_hba.conf} entry) fails at once: waiting cannot fix it. Any other failure also fails at
 * once.
 */
public final class Readiness {

    /** First sleep between attempts, in milliseconds. */
    static final long FIRST_DELAY_MILLIS = 500;
    /** Longest sleep between attempts, in milliseconds. */
    static final long MAX_DELAY_MILLIS = 5_000;
    /** Shortest time an attempt is allowed, in seconds, even when the deadline is closer. */
    static final double MIN_ATTEMPT_SECONDS = 1.0;

    private Readiness() {
    }

    /**
     * Connects to {@code spec}, retrying transient failures until {@code wait} has elapsed.
     *
     * <p>Each attempt's driver timeouts are capped to the time left (at least
     * {@value #MIN_ATTEMPT_SECONDS} s): {@code connectTimeout} (TCP connect, whole seconds) and
     * {@code loginTimeout} (whole connection set-up including TLS and authentication; pgjdbc runs it
     * in a helper thread and gives up with SQLState {@code 08001}), so an attempt overruns the
     * deadline by at most about one second. Timeouts already in {@code spec} that are shorter are
     * kept. No timeout that outlives the connection set-up (such as {@code socketTimeout}) is added.
     * With {@code wait} zero, exactly one attempt is made, its {@code loginTimeout} set to the spec's
     * {@code connectTimeout} (default {@value ConnectionSpec#DEFAULT_CONNECT_TIMEOUT_SECONDS} s) so a
     * server that accepts TCP but never answers cannot hang it.
     *
     * <p>Every failed attempt that will be retried produces one checkpoint line, e.g.
     * {@code waiting for postgresql://app@db:5432/shop: attempt 3 failed: Connection refused
     * (SQLState 08001); retrying in 2.0 s}; a success after failures produces
     * {@code database postgresql://app@db:5432/shop ready after 4 attempts (4.1 s)}. A first-attempt
     * success prints nothing. Lines and messages show {@link ConnectionSpec#display()} and the
     * driver's text passed through {@link ConnectionSpec#maskUrl(String)}; the spec's password (when
     * at least 4 characters) is also replaced by {@code ***} should the driver ever echo it.
     *
     * @param spec       where to connect
     * @param wait       how long to keep trying; zero for a single attempt; not negative
     * @param checkpoint receives progress lines (one line each, no trailing newline)
     * @return an open connection (auto-commit on), owned by the caller
     * @throws AuditException exit code 3 ({@link ExitCode#UNREACHABLE}): on timeout
     *         {@code database <display> not ready after <elapsed> (<n> attempts, --wait <wait>): <last error>},
     *         {@code <elapsed>} the time measured since the call (e.g. {@code 11.0 s}: one attempt with
     *         {@code --wait 0} lasts up to the connect timeout); at once
     *         for SQLState class 28 (message of {@link DatabaseErrors#connectFailure} plus
     *         {@code ; not retried: ...}) and for any other non-transient failure; when interrupted
     * @throws IllegalArgumentException when {@code wait} is negative
     */
    public static Connection await(ConnectionSpec spec, Duration wait, Consumer<String> checkpoint)
            throws AuditException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(wait, "wait");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative: " + wait);
        }
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long delay = FIRST_DELAY_MILLIS;
        int attempt = 0;
        while (true) {
            attempt++;
            long remainingNanos = deadline - System.nanoTime();
            // a single attempt (wait zero) is bounded by the spec's own connect timeout
            ConnectionSpec attemptSpec = capped(spec, wait.isZero() ? connectTimeout(spec) : remainingNanos / 1e9);
            SQLException failure;
            try {
                Connection c = attemptSpec.connect();
                if (attempt > 1) {
                    checkpoint.accept("database " + spec.display() + " ready after " + attempt + " attempts ("
                            + seconds(System.nanoTime() - start) + ")");
                }
                return c;
            } catch (SQLException e) {
                failure = e;
            }
            String state = failure.getSQLState() == null ? "" : failure.getSQLState();
            String reason = reason(attemptSpec, failure) + (state.isEmpty() ? "" : " (SQLState " + state + ")");
            if (state.startsWith("28")) {
                throw new AuditException(ExitCode.UNREACHABLE, sanitize(spec,
                        DatabaseErrors.connectFailure("database", spec, failure).getMessage()
                                + "; not retried: waiting cannot fix a wrong password, a role without LOGIN"
                                + " or a missing pg_hba.conf entry"), failure);
            }
            if (!isTransient(state)) {
                throw new AuditException(ExitCode.UNREACHABLE, sanitize(spec,
                        DatabaseErrors.connectFailure("database", spec, failure).getMessage()), failure);
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                // the time actually spent: a single attempt (wait zero) or the last one can outlast --wait
                throw new AuditException(ExitCode.UNREACHABLE, "database " + spec.display() + " not ready after "
                        + seconds(System.nanoTime() - start) + " (" + attempt + (attempt == 1 ? " attempt" : " attempts")
                        + ", --wait " + waitText(wait) + "): " + reason, failure);
            }
            long sleep = Math.min(delay, leftMillis);
            checkpoint.accept("waiting for " + spec.display() + ": attempt " + attempt + " failed: " + reason
                    + "; retrying in " + seconds(sleep * 1_000_000));
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditException(ExitCode.UNREACHABLE, "interrupted while waiting for database "
                        + spec.display() + " (" + attempt + (attempt == 1 ? " attempt" : " attempts") + ")", e);
            }
            delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
        }
    }

    /**
     * @param sqlState SQLState of a failed connection attempt, "" when the driver gave none
     * @return true for the start-up conditions listed in the class comment
     */
    static boolean isTransient(String sqlState) {
        return sqlState.startsWith("08") || sqlState.equals("57P03") || sqlState.equals("57P01")
                || sqlState.equals("53300") || sqlState.equals("3D000");
    }

    /** @return {@code spec} with connectTimeout and loginTimeout no longer than {@code seconds} (at least 1 s) */
    private static ConnectionSpec capped(ConnectionSpec spec, double seconds) {
        double cap = Math.max(MIN_ATTEMPT_SECONDS, seconds);
        Map<String, String> params = new HashMap<>(spec.params());
        int connect = connectTimeout(spec);
        params.put("connectTimeout", String.valueOf(Math.max(1, Math.min(connect, (int) Math.ceil(cap)))));
        double login = positiveDouble(params.get("loginTimeout"));
        double effLogin = login > 0 ? Math.min(login, cap) : cap;
        params.put("loginTimeout", String.format(Locale.ROOT, "%.3f", effLogin));
        return new ConnectionSpec(spec.host(), spec.port(), spec.database(), spec.user(), spec.password(), params);
    }

    /** @return the spec's {@code connectTimeout} in seconds, or the default when absent, zero or malformed */
    private static int connectTimeout(ConnectionSpec spec) {
        return positiveInt(spec.params().get("connectTimeout"), ConnectionSpec.DEFAULT_CONNECT_TIMEOUT_SECONDS);
    }

    private static int positiveInt(String s, int fallback) {
        try {
            int v = s == null ? 0 : Integer.parseInt(s.trim());
            return v > 0 ? v : fallback; // 0 means "no limit" to the driver: the cap applies
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double positiveDouble(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return the most telling one-line reason: the network error when there is one, else the driver's first line */
    private static String reason(ConnectionSpec spec, SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text;
        if (root instanceof UnknownHostException) {
            text = "unknown host " + spec.host();
        } else if (root instanceof SocketTimeoutException) {
            text = "connection timed out";
        } else if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("timed out")) {
            long ms = spec.loginTimeout().toMillis();
            text = "no answer within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                    + " (--connect-timeout): the server accepts TCP connections but does not respond";
        } else if ((root instanceof ConnectException || root instanceof NoRouteToHostException)
                && root.getMessage() != null) {
            text = DatabaseErrors.firstLine(root.getMessage());
        } else {
            text = DatabaseErrors.firstLine(e.getMessage());
        }
        return sanitize(spec, text);
    }

    private static String sanitize(ConnectionSpec spec, String text) {
        String masked = ConnectionSpec.maskUrl(text);
        String pw = spec.password();
        if (pw != null && pw.length() >= 4) {
            masked = masked.replace(pw, "***");
        }
        return masked;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String waitText(Duration wait) {
        long millis = wait.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
