package io.driftwatch.gate;
/** PLACEHOLDER. */
public final class RelationSizes {
    public static java.util.Map<io.driftwatch.model.ObjectRef, RelationSize> read(java.sql.Connection live, java.util.Collection<io.driftwatch.model.ObjectRef> tables, long countCap) throws java.sql.SQLException { return java.util.Map.of(); }
}
