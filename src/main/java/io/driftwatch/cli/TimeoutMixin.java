package io.driftwatch.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code --lock-timeout} and {@code --statement-timeout} for catalog reads of databases the tool
 * only reads.
 */
public final class TimeoutMixin {

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "lock_timeout for catalog reads (500ms, 5s, 2m). Default: ${DEFAULT-VALUE}.")
    String lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "statement_timeout for catalog reads. Default: ${DEFAULT-VALUE}.")
    String statementTimeout;

    /**
     * @return {@code --lock-timeout}
     * @throws IllegalArgumentException when it is not a duration
     */
    Duration lock() {
        return CliSupport.parseDuration(lockTimeout, "--lock-timeout");
    }

    /**
     * @return {@code --statement-timeout}
     * @throws IllegalArgumentException when it is not a duration
     */
    Duration statement() {
        return CliSupport.parseDuration(statementTimeout, "--statement-timeout");
    }
}
