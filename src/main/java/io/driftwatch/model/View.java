package io.driftwatch.model;

/**
 * A view or materialized view ({@code relkind} {@code v} or {@code m}).
 *
 * @param schema       namespace name
 * @param name         relation name
 * @param materialized true for {@code relkind = 'm'}
 * @param definition   {@code pg_get_viewdef(oid, true)}, the server's own deparse of the query
 */
public record View(String schema, String name, boolean materialized, String definition) {

    /** @return this view's identity ({@link ObjectKind#VIEW} or {@link ObjectKind#MATERIALIZED_VIEW}) */
    public ObjectRef ref() {
        return ObjectRef.of(materialized ? ObjectKind.MATERIALIZED_VIEW : ObjectKind.VIEW, schema, name);
    }
}
