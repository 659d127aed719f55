package io.driftwatch.model;

import java.util.Objects;

/**
 * An object the reader met in the audited schemas (or database-wide) but does not model, for
 * example a foreign table, a publication or a rewrite rule. Reported as "not audited" so a report
 * never claims "in sync" while blind to it.
 *
 * @param kind   PostgreSQL's word for it, e.g. {@code foreign table}, {@code publication}
 * @param schema schema name, or null for database-wide objects
 * @param parent owning table (rewrite rules), else null
 * @param name   object name as the server prints it (unquoted)
 */
public record UnmodelledObject(String kind, String schema, String parent, String name)
        implements Comparable<UnmodelledObject> {

    public UnmodelledObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** An object not owned by a table. */
    public UnmodelledObject(String kind, String schema, String name) {
        this(kind, schema, null, name);
    }

    /** @return {@code kind schema.[parent.]name}, each part quoted where PostgreSQL needs it */
    public String display() {
        return kind + " " + (schema == null ? "" : Identifiers.quoteIfNeeded(schema) + ".")
                + (parent == null ? "" : Identifiers.quoteIfNeeded(parent) + ".")
                + Identifiers.quoteIfNeeded(name);
    }

    /** @return the identity findings and reports use: kind {@link ObjectKind#UNMODELLED}, name {@link #display()} */
    public ObjectRef ref() {
        return new ObjectRef(ObjectKind.UNMODELLED, schema, null, display());
    }

    @Override
    public int compareTo(UnmodelledObject o) {
        return display().compareTo(o.display());
    }
}
