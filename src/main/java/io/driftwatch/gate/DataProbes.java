package io.driftwatch.gate;
/** PLACEHOLDER. */
public final class DataProbes {
    public static java.util.List<io.driftwatch.policy.Finding> probe(java.sql.Connection live, String script, java.util.List<io.driftwatch.diff.Change> changes, io.driftwatch.model.SchemaModel liveModel, ProbeSettings settings) throws java.sql.SQLException { return java.util.List.of(); }
}
