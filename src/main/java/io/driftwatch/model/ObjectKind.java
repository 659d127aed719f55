package io.driftwatch.model;

/**
 * The kinds of schema object Driftwatch models, named after PostgreSQL's catalog vocabulary.
 *
 * <p>{@link #label()} is the lower-case, space-separated word used in messages and reports
 * (for example {@code "materialized view"}).
 */
public enum ObjectKind {
    SCHEMA("schema"),
    TABLE("table"),
    COLUMN("column"),
    CONSTRAINT("constraint"),
    INDEX("index"),
    VIEW("view"),
    MATERIALIZED_VIEW("materialized view"),
    SEQUENCE("sequence"),
    ENUM("enum type"),
    HISTORY("migration");

    private final String label;

    ObjectKind(String label) {
        this.label = label;
    }

    /** @return the human word for this kind, e.g. {@code "enum type"} */
    public String label() {
        return label;
    }
}
