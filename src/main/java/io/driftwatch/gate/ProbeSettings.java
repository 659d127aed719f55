package io.driftwatch.gate;
/** PLACEHOLDER. */
public record ProbeSettings(java.time.Duration statementTimeout, java.time.Duration lockTimeout, int samples, long countCap) {
    public static ProbeSettings defaults() { return new ProbeSettings(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(2), 5, 10_000); }
}
