package io.driftwatch.postgres.gate;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds for {@link DataProbes}: how long one probe query may run, how long it may wait for a lock,
 * how many offending rows it shows, and where it stops counting.
 *
 * @param statementTimeout {@code statement_timeout} for every probe query (at least 1 ms); a probe that
 *                         hits it is reported as {@code DW329 probe-incomplete} (an error: the data was
 *                         not checked), not as a violation
 * @param lockTimeout      {@code lock_timeout} (at least 1 ms); a probe's {@code ACCESS SHARE} lock waits
 *                         only behind {@code ACCESS EXCLUSIVE} (running DDL)
 * @param samples          offending keys or values quoted per finding, 1..100
 * @param countCap         counts stop at {@code countCap + 1} rows and are reported as
 *                         "more than {@code countCap}"; at least 1
 */
public record ProbeSettings(Duration statementTimeout, Duration lockTimeout, int samples, long countCap) {

    /** Largest {@link #samples()} accepted: a finding is one line. */
    public static final int MAX_SAMPLES = 100;

    /**
     * @throws NullPointerException     when a timeout is null
     * @throws IllegalArgumentException when a timeout is below 1 ms or above {@code Integer.MAX_VALUE} ms
     *                                  (PostgreSQL's limit), samples is outside 1..100 or countCap is below 1
     *                                  or {@code Long.MAX_VALUE}
     */
    public ProbeSettings {
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        checkTimeout("statementTimeout", statementTimeout);
        checkTimeout("lockTimeout", lockTimeout);
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("samples must be 1.." + MAX_SAMPLES + ", got " + samples);
        }
        if (countCap < 1 || countCap == Long.MAX_VALUE) {
            throw new IllegalArgumentException("countCap must be at least 1 and below Long.MAX_VALUE, got " + countCap);
        }
    }

    /** @return 30 s statement timeout, 2 s lock timeout, 5 samples, counts capped at 10,000 */
    public static ProbeSettings defaults() {
        return new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(2), 5, 10_000L);
    }

    /** @return {@link #statementTimeout()} in whole milliseconds (at least 1) */
    public long statementTimeoutMillis() {
        return statementTimeout.toMillis();
    }

    /** @return {@link #lockTimeout()} in whole milliseconds (at least 1) */
    public long lockTimeoutMillis() {
        return lockTimeout.toMillis();
    }

    private static void checkTimeout(String name, Duration d) {
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + d);
        }
        if (d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + " ms, got " + d);
        }
    }
}
