package io.driftwatch.model;

import java.util.List;

/**
 * A table ({@code pg_class} with {@code relkind} {@code r} or {@code p}) and what it owns.
 *
 * @param schema          namespace name
 * @param name            relation name
 * @param partitioned     true for {@code relkind = 'p'} (a partitioned table)
 * @param partitionKey    {@code pg_get_partkeydef(oid)} for partitioned tables, e.g.
 *                        {@code RANGE (created_at)}, else null
 * @param partitionOf     parent table ({@code schema.name}, quoted as needed) when this table is a
 *                        partition, else null
 * @param partitionBound  {@code pg_get_expr(relpartbound, oid)} for partitions, else null
 * @param columns         columns in attribute order (dropped attributes excluded)
 * @param constraints     constraints sorted by name
 * @param indexes         indexes not backing a constraint, sorted by name
 */
public record Table(String schema, String name, boolean partitioned, String partitionKey,
                    String partitionOf, String partitionBound, List<Column> columns,
                    List<Constraint> constraints, List<Index> indexes) {

    public Table {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
    }

    /** @return this table's identity */
    public ObjectRef ref() {
        return ObjectRef.of(ObjectKind.TABLE, schema, name);
    }
}
