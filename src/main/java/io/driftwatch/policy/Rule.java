package io.driftwatch.policy;

import java.util.Locale;

/**
 * The catalog of built-in rules. Ids are stable: once released a rule id never changes meaning.
 * {@code DW1xx}: schema drift (expected model vs live database); {@code DW2xx}: version-table
 * history (Flyway's states); {@code DW30x}: {@code driftwatch gate}'s rehearsal of pending migrations;
 * {@code DW31x}: hazards of pending migrations at production's sizes; {@code DW32x}: read-only data
 * probes; the rest of {@code DW3xx} is reserved for lint.
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
    DW129("extra-extension", Severity.WARNING, "Extension installed in the database that no migration creates"),
    DW130("missing-extension", Severity.ERROR, "Extension a migration creates is missing from the database"),
    DW131("changed-extension", Severity.WARNING, "Extension version or schema differs from the migrations"),
    DW132("extra-collation", Severity.WARNING, "Collation in the database that no migration creates"),
    DW133("missing-collation", Severity.ERROR, "Collation a migration creates is missing from the database"),
    DW134("changed-collation", Severity.ERROR, "Collation provider, locale or determinism differs"),
    DW135("extra-domain", Severity.WARNING, "Domain in the database that no migration creates"),
    DW136("missing-domain", Severity.ERROR, "Domain a migration creates is missing from the database"),
    DW137("changed-domain", Severity.ERROR, "Domain base type, default, NOT NULL or checks differ"),
    DW138("extra-composite-type", Severity.WARNING, "Composite type in the database that no migration creates"),
    DW139("missing-composite-type", Severity.ERROR, "Composite type a migration creates is missing from the database"),
    DW140("changed-composite-type", Severity.ERROR, "Composite type attributes differ from the migrations"),
    DW141("extra-range-type", Severity.WARNING, "Range type in the database that no migration creates"),
    DW142("missing-range-type", Severity.ERROR, "Range type a migration creates is missing from the database"),
    DW143("changed-range-type", Severity.ERROR, "Range type subtype or support functions differ"),
    DW144("extra-function", Severity.WARNING, "Function in the database that no migration creates"),
    DW145("missing-function", Severity.ERROR, "Function a migration creates is missing from the database"),
    DW146("changed-function", Severity.ERROR, "Function body, language, volatility, strictness, security or settings differ"),
    DW147("extra-procedure", Severity.WARNING, "Procedure in the database that no migration creates"),
    DW148("missing-procedure", Severity.ERROR, "Procedure a migration creates is missing from the database"),
    DW149("changed-procedure", Severity.ERROR, "Procedure body, language, security or settings differ"),
    DW150("extra-aggregate", Severity.WARNING, "Aggregate in the database that no migration creates"),
    DW151("missing-aggregate", Severity.ERROR, "Aggregate a migration creates is missing from the database"),
    DW152("changed-aggregate", Severity.ERROR, "Aggregate state function, type or final function differs"),
    DW153("extra-trigger", Severity.WARNING, "Trigger in the database that no migration creates"),
    DW154("missing-trigger", Severity.ERROR, "Trigger a migration creates is missing from the database"),
    DW155("changed-trigger", Severity.ERROR, "Trigger definition or enabled state differs (a disabled trigger?)"),
    DW156("extra-event-trigger", Severity.WARNING, "Event trigger in the database that no migration creates"),
    DW157("missing-event-trigger", Severity.ERROR, "Event trigger a migration creates is missing from the database"),
    DW158("changed-event-trigger", Severity.ERROR, "Event trigger event, tags, function or enabled state differs"),
    DW159("extra-policy", Severity.WARNING, "Row level security policy in the database that no migration creates"),
    DW160("missing-policy", Severity.ERROR, "Row level security policy a migration creates is missing"),
    DW161("changed-policy", Severity.ERROR, "Row level security policy command, roles or expressions differ"),
    DW162("extra-comment", Severity.INFO, "Comment in the database that no migration sets"),
    DW163("missing-comment", Severity.INFO, "Comment a migration sets is missing from the database"),
    DW164("changed-comment", Severity.INFO, "Comment text differs from the migrations"),
    DW165("extra-privilege", Severity.WARNING, "Privilege granted in the database that no migration grants (--with-privileges)"),
    DW166("missing-privilege", Severity.ERROR, "Privilege a migration grants is missing from the database (--with-privileges)"),
    DW167("changed-privilege", Severity.ERROR, "A grantee's privileges differ from the migrations (--with-privileges)"),
    DW168("extra-default-privilege", Severity.WARNING, "Default privilege in the database that no migration sets (--with-privileges)"),
    DW169("missing-default-privilege", Severity.ERROR, "Default privilege a migration sets is missing (--with-privileges)"),
    DW170("changed-default-privilege", Severity.ERROR, "Default privileges differ from the migrations (--with-privileges)"),
    DW171("changed-owner", Severity.WARNING, "Object owner differs from the migrations (--with-owners)"),
    DW172("table-persistence-changed", Severity.ERROR, "Table is UNLOGGED on one side and logged on the other"),
    DW173("row-security-changed", Severity.ERROR, "Row level security enabled or forced differs"),
    DW174("table-options-changed", Severity.WARNING, "Table storage parameters (reloptions) differ"),
    DW175("table-inheritance-changed", Severity.ERROR, "Table inheritance parents differ"),
    DW176("view-options-changed", Severity.ERROR, "View options differ (security_barrier, check_option, security_invoker)"),
    DW177("column-identity-options-changed", Severity.WARNING, "Identity column sequence options differ"),
    DW178("not-audited", Severity.INFO, "Object Driftwatch does not model yet (foreign table, publication, rule, ...): not compared"),

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
    DW212("history-unreadable", Severity.WARNING, "Version table could not be read (permission); all scripts were replayed"),
    DW301("migration-fails", Severity.ERROR, "Pending migration fails when rehearsed, on the live schema and on the migrations' own schema alike"),
    DW302("drift-breaks-migration", Severity.ERROR, "Pending migration fails on the live schema but applies on the migrations' schema: drift breaks the deploy"),
    DW303("migration-in-flight", Severity.ERROR, "Another migration is running now (Flyway's lock is held or DDL is in progress)"),
    DW304("rehearsal-incomplete", Severity.WARNING, "The rehearsal could not clone the live schema faithfully or could not run every pending migration"),
    DW310("table-rewrite", Severity.WARNING, "Pending migration rewrites a table holding rows (ACCESS EXCLUSIVE lock for the whole rewrite)"),
    DW311("access-exclusive-lock", Severity.WARNING, "Pending migration takes an ACCESS EXCLUSIVE lock on a large table"),
    DW312("blocking-index-build", Severity.WARNING, "Pending migration builds an index without CONCURRENTLY on a table holding rows (blocks writes)"),
    DW313("drops-data", Severity.WARNING, "Pending migration drops a table or column that holds data"),
    DW314("validates-under-lock", Severity.WARNING, "Pending migration scans a large table under lock to validate (SET NOT NULL, CHECK or FOREIGN KEY without NOT VALID)"),
    DW320("nulls-block-not-null", Severity.ERROR, "Live rows hold NULL in a column a pending migration makes NOT NULL"),
    DW321("duplicates-block-unique", Severity.ERROR, "Live rows duplicate the key of a UNIQUE constraint, primary key or unique index a pending migration adds"),
    DW322("orphans-block-foreign-key", Severity.ERROR, "Live rows reference keys missing from the table a pending foreign key points at"),
    DW323("rows-violate-check", Severity.ERROR, "Live rows violate a CHECK constraint a pending migration adds"),
    DW324("values-do-not-cast", Severity.ERROR, "Live values do not cast to the column type a pending migration sets"),
    DW325("rows-block-not-null-column", Severity.ERROR, "Pending migration adds a NOT NULL column without a default to a table holding rows"),
    DW329("probe-incomplete", Severity.INFO, "A read-only data probe could not finish (timeout, permission); the data was not checked");

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
