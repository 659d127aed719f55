package io.driftwatch.policy;

import java.util.Locale;

/**
 * The catalog of built-in rules. Ids are stable: once released a rule id never changes meaning.
 * {@code DW1xx}: schema drift (expected model vs live database); {@code DW2xx}: version-table
 * history (Flyway's states); {@code DW3xx}: reserved for hazards and lint.
 *
 * <p>{@code rules/README.md} lists this catalog; {@code RuleCatalogDocTest} fails when it is stale.
 */
public enum Rule {
    DW101("extra-index", Severity.WARNING, "Index in the database that no migration creates"),
    DW102("missing-index", Severity.ERROR, "Index a migration creates is missing from the database"),
    DW103("changed-index", Severity.ERROR, "Index definition (or validity) differs from the migrations"),
    DW104("extra-table", Severity.WARNING, "Table in the database that no migration creates"),
    DW105("missing-table", Severity.ERROR, "Table a migration creates is missing from the database"),
    DW106("changed-table", Severity.ERROR, "Table partitioning (key, parent or bounds) differs"),
    DW107("extra-column", Severity.WARNING, "Column in the database that no migration creates (a hotfix?)"),
    DW108("missing-column", Severity.ERROR, "Column a migration creates is missing from the database"),
    DW109("column-type-changed", Severity.ERROR, "Column type differs from the migrations"),
    DW110("column-nullability-changed", Severity.ERROR, "Column NOT NULL differs from the migrations"),
    DW111("column-default-changed", Severity.WARNING, "Column default differs from the migrations"),
    DW112("column-identity-changed", Severity.ERROR, "Column identity (ALWAYS / BY DEFAULT) differs"),
    DW113("column-generated-changed", Severity.ERROR, "Generated column expression differs"),
    DW114("column-collation-changed", Severity.WARNING, "Column collation differs"),
    DW115("extra-constraint", Severity.WARNING, "Constraint in the database that no migration creates"),
    DW116("missing-constraint", Severity.ERROR, "Constraint a migration creates is missing (e.g. a dropped foreign key)"),
    DW117("changed-constraint", Severity.ERROR, "Constraint definition differs from the migrations"),
    DW118("extra-view", Severity.WARNING, "View in the database that no migration creates"),
    DW119("missing-view", Severity.ERROR, "View a migration creates is missing from the database"),
    DW120("changed-view", Severity.ERROR, "View definition differs from the migrations"),
    DW121("extra-sequence", Severity.WARNING, "Sequence in the database that no migration creates"),
    DW122("missing-sequence", Severity.ERROR, "Sequence a migration creates is missing from the database"),
    DW123("changed-sequence", Severity.WARNING, "Sequence parameters differ from the migrations"),
    DW124("extra-enum", Severity.WARNING, "Enum type in the database that no migration creates"),
    DW125("missing-enum", Severity.ERROR, "Enum type a migration creates is missing from the database"),
    DW126("changed-enum", Severity.ERROR, "Enum labels (or their order) differ from the migrations"),
    DW127("extra-schema", Severity.WARNING, "Schema in the database that no migration creates"),
    DW128("missing-schema", Severity.ERROR, "Schema a migration creates is missing from the database"),

    DW201("checksum-mismatch", Severity.ERROR, "Migration file edited after it was applied (checksum differs)"),
    DW202("missing-migration", Severity.ERROR, "Applied migration has no script locally"),
    DW203("pending-migration", Severity.INFO, "Migration not applied yet (will run on the next deploy)"),
    DW204("failed-migration", Severity.ERROR, "Version table holds a failed migration"),
    DW205("ignored-migration", Severity.WARNING, "Unapplied migration older than the current version (Flyway skips it unless outOfOrder)"),
    DW206("out-of-order", Severity.INFO, "Migration was applied out of order"),
    DW207("future-migration", Severity.WARNING, "Applied version newer than any local script"),
    DW208("outdated-repeatable", Severity.WARNING, "Repeatable migration changed since it was last applied"),
    DW209("baseline", Severity.INFO, "Version table starts from a baseline"),
    DW210("cannot-replay", Severity.WARNING, "Applied Java migration cannot be replayed into the shadow database"),
    DW211("invalid-history-row", Severity.ERROR, "Version table row cannot be interpreted"),
    DW212("history-unreadable", Severity.WARNING, "Version table could not be read (permission); all scripts were replayed");

    private final String slug;
    private final Severity defaultSeverity;
    private final String title;

    Rule(String slug, Severity defaultSeverity, String title) {
        this.slug = slug;
        this.defaultSeverity = defaultSeverity;
        this.title = title;
    }

    /** @return the rule id, e.g. {@code DW101} */
    public String id() {
        return name();
    }

    /** @return the short kebab-case name, e.g. {@code extra-index} */
    public String slug() {
        return slug;
    }

    /** @return severity used unless a policy overrides it */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** @return one-line description of what the rule detects */
    public String title() {
        return title;
    }

    /** @return {@code "DW101 extra-index"} */
    public String display() {
        return id() + " " + slug;
    }

    /**
     * @param idOrSlug {@code DW101}, {@code dw101} or {@code extra-index}
     * @return the rule
     * @throws IllegalArgumentException if no rule has that id or slug
     */
    public static Rule parse(String idOrSlug) {
        String s = idOrSlug.trim();
        for (Rule r : values()) {
            if (r.name().equals(s.toUpperCase(Locale.ROOT)) || r.slug.equals(s.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rule: " + idOrSlug);
    }
}
