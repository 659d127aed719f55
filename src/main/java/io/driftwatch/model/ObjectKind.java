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
    EXTENSION("extension"),
    COLLATION("collation"),
    DOMAIN("domain"),
    COMPOSITE_TYPE("composite type"),
    RANGE_TYPE("range type"),
    FUNCTION("function"),
    PROCEDURE("procedure"),
    AGGREGATE("aggregate"),
    TRIGGER("trigger"),
    EVENT_TRIGGER("event trigger"),
    POLICY("policy"),
    /** A comment; the name is the commented object's display text, e.g. {@code column public.t.c}. */
    COMMENT("comment on"),
    /** One grantee's privileges on one object; the name is e.g. {@code table public.t to app}. */
    PRIVILEGE("privileges on"),
    /** One {@code ALTER DEFAULT PRIVILEGES} entry; the name is e.g. {@code tables in public for app to ro}. */
    DEFAULT_PRIVILEGE("default privileges on"),
    /** The owning role of an object; the name is the owned object's display text. */
    OWNER("owner of"),
    /** An object the reader does not model; the name is e.g. {@code foreign table public.ft}. */
    UNMODELLED("not audited:"),
    HISTORY("migration"),
    /** A waiver of the project configuration (DW401, DW402); the name is its origin, e.g. {@code driftwatch.yaml:14}. */
    WAIVER("waiver");

    private final String label;

    ObjectKind(String label) {
        this.label = label;
    }

    /**
     * @return true for kinds whose name is free text describing another object (comments,
     *         privileges, owners, unmodelled objects, waivers) rather than an identifier
     */
    public boolean attached() {
        return this == COMMENT || this == PRIVILEGE || this == DEFAULT_PRIVILEGE || this == OWNER
                || this == UNMODELLED || this == WAIVER;
    }

    /** @return true for functions, procedures and aggregates, named {@code name(argument types)} */
    public boolean routine() {
        return this == FUNCTION || this == PROCEDURE || this == AGGREGATE;
    }

    /** @return the human word for this kind, e.g. {@code "enum type"} */
    public String label() {
        return label;
    }
}
