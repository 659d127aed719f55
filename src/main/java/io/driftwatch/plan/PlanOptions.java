package io.driftwatch.plan;

/**
 * How a plan is generated.
 *
 * @param concurrently     build and drop indexes {@code CONCURRENTLY} (outside a transaction); false for
 *                         users who want the whole bridge in one transaction ({@code --no-concurrently})
 * @param allowDestructive emit destructive statements live; when false they are still planned but the
 *                         writer comments them out ({@code --allow-destructive})
 */
public record PlanOptions(boolean concurrently, boolean allowDestructive) {

    /** Safe defaults: concurrent index builds, destructive statements commented out. */
    public static PlanOptions defaults() {
        return new PlanOptions(true, false);
    }
}
