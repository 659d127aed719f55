package io.driftwatch.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A schema object that Driftwatch models by identity plus a flat map of compared attributes: the
 * shape used for every kind beyond tables, views, sequences and enums (extensions, collations,
 * domains, composite and range types, functions, procedures, aggregates, triggers, event triggers,
 * row level security policies, materialized-view indexes, comments, privileges and owners).
 *
 * <p>Attribute values are the server's own deparsed text where one exists
 * ({@code pg_get_functiondef}, {@code pg_get_triggerdef}, {@code format_type}, ...), so two reads
 * of equivalent databases give equal maps. A null attribute is simply absent. Which keys a kind has
 * is documented in the catalog query that produces it
 * ({@code src/main/resources/io/driftwatch/postgres/<kind>.sql}).
 *
 * @param ref        identity: kind, schema (null for database-wide kinds such as extensions and
 *                   event triggers), owning table (triggers, policies, matview indexes) and name
 *                   (for routines the signature {@code name(argtypes)})
 * @param attributes compared attributes, sorted by key; never null, values never null
 * @param target     for objects attached to another one (comments, privileges, owners): the object
 *                   they describe, else null. Findings for an attached object are suppressed when its
 *                   target is itself added or dropped.
 */
public record CatalogObject(ObjectRef ref, Map<String, String> attributes, ObjectRef target) {

    public CatalogObject {
        Objects.requireNonNull(ref, "ref");
        TreeMap<String, String> sorted = new TreeMap<>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                sorted.put(k, v);
            }
        });
        attributes = Collections.unmodifiableMap(sorted);
    }

    /** An object that is not attached to another one. */
    public CatalogObject(ObjectRef ref, Map<String, String> attributes) {
        this(ref, attributes, null);
    }

    /** @return the object's kind, shorthand for {@code ref().kind()} */
    public ObjectKind kind() {
        return ref.kind();
    }

    /**
     * @param key attribute name
     * @return its value, or null when absent
     */
    public String attr(String key) {
        return attributes.get(key);
    }

    /**
     * @param key attribute name
     * @return true when the attribute is the text {@code true} (how the catalog queries spell booleans)
     */
    public boolean flag(String key) {
        return "true".equals(attributes.get(key));
    }
}
