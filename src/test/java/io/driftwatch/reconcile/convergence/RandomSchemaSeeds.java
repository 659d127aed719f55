package io.driftwatch.reconcile.convergence;

/** Seeds of the random pair tests; override the base with {@code -Ddw.random.seed}. */
public final class RandomSchemaSeeds {

    /** Base seed of CI runs: iteration {@code i} uses {@code BASE + i}. */
    public static final long BASE = 20_240_600L;

    private RandomSchemaSeeds() {
    }
}
