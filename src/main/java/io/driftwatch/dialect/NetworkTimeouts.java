package io.driftwatch.dialect;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The driver-level timeouts every connection Driftwatch opens carries, so a server that accepts TCP
 * and then never answers (or stops answering mid-query) cannot hang a run. pgJDBC properties
 * (pgJDBC docs, "Connection Parameters"):
 * <ul>
 *   <li>{@code connectTimeout}: the TCP connect, whole seconds (rounded up, at least 1);</li>
 *   <li>{@code loginTimeout}: the whole connection set-up (TCP, TLS, authentication, start-up
 *       parameters), seconds with millisecond precision; the driver gives up with SQLState
 *       {@code 08001} "Connection attempt timed out.";</li>
 *   <li>{@code socketTimeout}: the longest wait for any single read from the server once
 *       connected, whole seconds (rounded up). It must outlast the longest statement the
 *       connection runs, so it is derived from that statement's {@code statement_timeout}:
 *       {@link #forStatements} adds {@link #SOCKET_MARGIN}.</li>
 * </ul>
 * {@code options=-c statement_timeout=...} alone does not help against a hung peer: the server
 * never reads it.
 *
 * @param connect TCP connect and login bound; positive
 * @param socket  read bound once connected; positive
 */
public record NetworkTimeouts(Duration connect, Duration socket) {

    /** TCP connect and login timeout unless the command, the URL or {@code PGCONNECT_TIMEOUT} says otherwise: 10 s. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);

    /** What {@code socketTimeout} adds to the longest {@code statement_timeout}: 30 s (the server's cancel and reply). */
    public static final Duration SOCKET_MARGIN = Duration.ofSeconds(30);

    /** Longest {@code statement_timeout} assumed when a connection's statements are not known: 120 s, the catalog reads' default. */
    public static final Duration DEFAULT_STATEMENT = Duration.ofSeconds(120);

    /** {@link #DEFAULT_CONNECT} and a socket timeout of {@link #DEFAULT_STATEMENT} plus {@link #SOCKET_MARGIN} (150 s). */
    public static final NetworkTimeouts DEFAULTS = forStatements(DEFAULT_CONNECT, DEFAULT_STATEMENT);

    public NetworkTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(socket, "socket");
        if (connect.isNegative() || connect.isZero() || socket.isNegative() || socket.isZero()) {
            throw new IllegalArgumentException("network timeouts must be positive: " + connect + ", " + socket);
        }
    }

    /**
     * @param connect          connect and login bound, positive
     * @param longestStatement the longest {@code statement_timeout} the connection's statements run under
     * @return timeouts whose socket bound is {@code longestStatement} plus {@link #SOCKET_MARGIN}
     */
    public static NetworkTimeouts forStatements(Duration connect, Duration longestStatement) {
        return new NetworkTimeouts(connect, longestStatement.plus(SOCKET_MARGIN));
    }

    /** @return {@code connectTimeout}: whole seconds, rounded up, at least 1 (0 would mean "no limit") */
    public int connectSeconds() {
        return ceilSeconds(connect);
    }

    /** @return {@code loginTimeout}: seconds with millisecond precision, e.g. {@code 2.000} */
    public String loginSeconds() {
        return String.format(Locale.ROOT, "%.3f", connect.toMillis() / 1000.0);
    }

    /** @return {@code socketTimeout}: whole seconds, rounded up, at least 1 */
    public int socketSeconds() {
        return ceilSeconds(socket);
    }

    /**
     * Puts {@code connectTimeout}, {@code loginTimeout} and {@code socketTimeout} into driver properties.
     *
     * @param properties driver properties, changed in place
     */
    public void applyTo(Properties properties) {
        properties.setProperty("connectTimeout", String.valueOf(connectSeconds()));
        properties.setProperty("loginTimeout", loginSeconds());
        properties.setProperty("socketTimeout", String.valueOf(socketSeconds()));
    }

    /**
     * Puts the three driver parameters into a parameter map (as {@link ConnectionSpec#params()} holds them).
     *
     * @param params parameters, changed in place
     */
    public void applyTo(Map<String, String> params) {
        params.put("connectTimeout", String.valueOf(connectSeconds()));
        params.put("loginTimeout", loginSeconds());
        params.put("socketTimeout", String.valueOf(socketSeconds()));
    }

    /** @return e.g. {@code 2 s} or {@code 500 ms}: the connect bound as a flag would be written */
    public String connectText() {
        long ms = connect.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private static int ceilSeconds(Duration d) {
        long ms = d.toMillis();
        long s = (ms + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
    }
}
