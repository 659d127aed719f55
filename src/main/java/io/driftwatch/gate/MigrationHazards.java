package io.driftwatch.gate;
/** PLACEHOLDER. */
public final class MigrationHazards {
    public record Thresholds(long largeRows, long largeBytes) { public static Thresholds defaults() { return new Thresholds(100_000, 100L << 20); } }
    public static java.util.List<io.driftwatch.policy.Finding> of(String script, String sql, java.util.List<io.driftwatch.diff.Change> changes, java.util.Map<io.driftwatch.model.ObjectRef, RelationSize> sizes, Thresholds thresholds) { return java.util.List.of(); }
    public static java.util.Set<io.driftwatch.model.ObjectRef> tablesTouched(java.util.List<io.driftwatch.diff.Change> changes) { return java.util.Set.of(); }
}
