package io.driftwatch.cli;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.NetworkTimeouts;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code --connect-timeout}, {@code --lock-timeout} and {@code --statement-timeout}: how long any
 * connection may take to open and log in, and how long catalog reads of the databases the tool
 * only reads may wait for a lock or run. Every connection the command opens (target, shadow,
 * verification, version table) also gets a driver {@code socketTimeout} of the longest statement
 * timeout plus {@link NetworkTimeouts#SOCKET_MARGIN}, so a server that stops answering ends the run
 * (exit 3) instead of hanging it.
 */
public final class TimeoutMixin {

    @Option(names = "--connect-timeout", paramLabel = "DURATION",
            description = "Longest wait to open and log in to any database (TCP, TLS, authentication); a "
                    + "server that accepts TCP but never answers fails after this (exit 3). "
                    + "Default: connectTimeout in the URL, else PGCONNECT_TIMEOUT, else 10s.")
    String connectTimeout;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "lock_timeout for catalog reads (500ms, 5s, 2m). Default: ${DEFAULT-VALUE}.")
    String lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "statement_timeout for catalog reads; a read that hits it fails with exit 3 naming "
                    + "this flag. Default: ${DEFAULT-VALUE}.")
    String statementTimeout;

    /**
     * @return {@code --lock-timeout}
     * @throws IllegalArgumentException when it is not a positive duration
     */
    Duration lock() {
        return positive(CliSupport.parseDuration(lockTimeout, "--lock-timeout"), "--lock-timeout");
    }

    /**
     * @return {@code --statement-timeout}
     * @throws IllegalArgumentException when it is not a positive duration
     */
    Duration statement() {
        return positive(CliSupport.parseDuration(statementTimeout, "--statement-timeout"), "--statement-timeout");
    }

    /**
     * @return {@code --connect-timeout}, or null when not given (the URL's, {@code PGCONNECT_TIMEOUT} or 10 s apply)
     * @throws IllegalArgumentException when it is not a positive duration
     */
    Duration connect() {
        return connectTimeout == null ? null
                : positive(CliSupport.parseDuration(connectTimeout, "--connect-timeout"), "--connect-timeout");
    }

    /**
     * @param spec             a database the command connects to
     * @param longestStatement the longest {@code statement_timeout} its statements run under (at
     *                         least {@link #statement()}; more for the gate's probes)
     * @return the spec with connect, login and socket timeouts ({@link ConnectionSpec#withTimeouts})
     */
    ConnectionSpec apply(ConnectionSpec spec, Duration longestStatement) {
        return spec.withTimeouts(connect(), longestStatement);
    }

    /**
     * @param longestStatement as for {@link #apply}
     * @return the timeouts of connections to servers Driftwatch starts itself (shadows)
     */
    NetworkTimeouts network(Duration longestStatement) {
        Duration c = connect();
        return NetworkTimeouts.forStatements(c != null ? c : NetworkTimeouts.DEFAULT_CONNECT, longestStatement);
    }

    private static Duration positive(Duration d, String flag) {
        if (d.isZero()) {
            throw new IllegalArgumentException(flag + " must be more than 0 (0 would mean no limit)");
        }
        return d;
    }
}
