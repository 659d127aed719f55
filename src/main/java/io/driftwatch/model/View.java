package io.driftwatch.model;

import java.util.List;

/**
 * A view or materialized view ({@code relkind} {@code v} or {@code m}).
 *
 * @param schema       namespace name
 * @param name         relation name
 * @param materialized true for {@code relkind = 'm'}
 * @param definition   {@code pg_get_viewdef(oid, true)}, the server's own deparse of the query
 * @param options      {@code reloptions} sorted, e.g. {@code [check_option=cascaded, security_barrier=true]};
 *                     for materialized views the storage parameters
 * @param dependsOn    relations and user types the view's query uses, from {@code pg_depend} of its
 *                     rewrite rule: {@code schema.name} as {@link Identifiers#qualified} renders them,
 *                     sorted; null when unknown (a model not read from a catalog), in which case
 *                     dependents are found from the definition text. Not compared by the differ.
 */
public record View(String schema, String name, boolean materialized, String definition, List<String> options,
                   List<String> dependsOn) {

    public View {
        options = options == null ? List.of() : options.stream().sorted().toList();
        dependsOn = dependsOn == null ? null : dependsOn.stream().sorted().distinct().toList();
    }

    /** A view whose dependencies are not known (found from its text when needed). */
    public View(String schema, String name, boolean materialized, String definition, List<String> options) {
        this(schema, name, materialized, definition, options, null);
    }

    /** A view without options ({@code reloptions} null). */
    public View(String schema, String name, boolean materialized, String definition) {
        this(schema, name, materialized, definition, List.of(), null);
    }

    /** @return this view's identity ({@link ObjectKind#VIEW} or {@link ObjectKind#MATERIALIZED_VIEW}) */
    public ObjectRef ref() {
        return ObjectRef.of(materialized ? ObjectKind.MATERIALIZED_VIEW : ObjectKind.VIEW, schema, name);
    }
}
