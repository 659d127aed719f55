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
 * @param unlogged        {@code relpersistence = 'u'}
 * @param rowSecurity     {@code relrowsecurity} (ENABLE ROW LEVEL SECURITY)
 * @param forceRowSecurity {@code relforcerowsecurity} (FORCE ROW LEVEL SECURITY)
 * @param options         storage parameters ({@code reloptions}) sorted, e.g. {@code [fillfactor=70]}
 * @param inherits        parents by plain inheritance ({@code pg_inherits}, not partitioning) in
 *                        {@code inhseqno} order, each {@code schema.name} quoted as needed
 */
public record Table(String schema, String name, boolean partitioned, String partitionKey,
                    String partitionOf, String partitionBound, List<Column> columns,
                    List<Constraint> constraints, List<Index> indexes, boolean unlogged,
                    boolean rowSecurity, boolean forceRowSecurity, List<String> options,
                    List<String> inherits) {

    public Table {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
        options = options == null ? List.of() : options.stream().sorted().toList();
        inherits = inherits == null ? List.of() : List.copyOf(inherits);
    }

    /** A logged table without row security, storage parameters or inheritance parents. */
    public Table(String schema, String name, boolean partitioned, String partitionKey,
                 String partitionOf, String partitionBound, List<Column> columns,
                 List<Constraint> constraints, List<Index> indexes) {
        this(schema, name, partitioned, partitionKey, partitionOf, partitionBound, columns, constraints,
                indexes, false, false, false, List.of(), List.of());
    }

    /**
     * @param columns     replacement columns
     * @param constraints replacement constraints
     * @param indexes     replacement indexes
     * @return this table with other children, every table-level attribute kept
     */
    public Table withChildren(List<Column> columns, List<Constraint> constraints, List<Index> indexes) {
        return new Table(schema, name, partitioned, partitionKey, partitionOf, partitionBound, columns,
                constraints, indexes, unlogged, rowSecurity, forceRowSecurity, options, inherits);
    }

    /** @return this table's identity */
    public ObjectRef ref() {
        return ObjectRef.of(ObjectKind.TABLE, schema, name);
    }
}
