package io.driftwatch.policy;

/**
 * The catalog of built-in rules. Ids are stable: once released a rule id never changes meaning.
 * {@code DW1xx}: schema drift (expected model vs live database); {@code DW2xx}: version-table
 * history (Flyway's states); {@code DW30x}: {@code driftwatch gate}'s rehearsal of pending migrations;
 * {@code DW31x}: hazards of pending migrations at production's sizes; {@code DW32x}: read-only data
 * probes; {@code DW33x} and up: the lint pack; {@code DW4xx}: the policy itself (waivers).
 *
 * <p>Built-in rules are the constants below; their description and fix hint come from the catalog
 * {@code rules/catalog.yaml} (see {@link RuleCatalog}). Custom rules (SQL rules in {@code rules/*.sql},
 * the lint pack) are made with {@link #custom}. {@code docs/rules.md} lists every rule;
 * {@code RuleCatalogDocTest} fails when it is stale.
 */
public final class Rule implements Comparable<Rule> {

    private static final java.util.Map<String, Rule> BUILT_IN = new java.util.LinkedHashMap<>();
    /** Wing rules made from the catalog on first use (a cache of immutable values). */
    private static final java.util.Map<String, Rule> WING = new java.util.concurrent.ConcurrentHashMap<>();

    public static final Rule DW101 = builtIn("DW101", "extra-index", Severity.WARNING,
            "Index in the database that no migration creates");
    public static final Rule DW102 = builtIn("DW102", "missing-index", Severity.ERROR,
            "Index a migration creates is missing from the database");
    public static final Rule DW103 = builtIn("DW103", "changed-index", Severity.ERROR,
            "Index definition (or validity) differs from the migrations");
    public static final Rule DW104 = builtIn("DW104", "extra-table", Severity.WARNING,
            "Table in the database that no migration creates");
    public static final Rule DW105 = builtIn("DW105", "missing-table", Severity.ERROR,
            "Table a migration creates is missing from the database");
    public static final Rule DW106 = builtIn("DW106", "changed-table", Severity.ERROR,
            "Table partitioning (key, parent or bounds) differs");
    public static final Rule DW107 = builtIn("DW107", "extra-column", Severity.WARNING,
            "Column in the database that no migration creates (a hotfix?)");
    public static final Rule DW108 = builtIn("DW108", "missing-column", Severity.ERROR,
            "Column a migration creates is missing from the database");
    public static final Rule DW109 = builtIn("DW109", "column-type-changed", Severity.ERROR,
            "Column type differs from the migrations");
    public static final Rule DW110 = builtIn("DW110", "column-nullability-changed", Severity.ERROR,
            "Column NOT NULL differs from the migrations");
    public static final Rule DW111 = builtIn("DW111", "column-default-changed", Severity.WARNING,
            "Column default differs from the migrations");
    public static final Rule DW112 = builtIn("DW112", "column-identity-changed", Severity.ERROR,
            "Column identity (ALWAYS / BY DEFAULT) differs");
    public static final Rule DW113 = builtIn("DW113", "column-generated-changed", Severity.ERROR,
            "Generated column expression differs");
    public static final Rule DW114 = builtIn("DW114", "column-collation-changed", Severity.WARNING,
            "Column collation differs");
    public static final Rule DW115 = builtIn("DW115", "extra-constraint", Severity.WARNING,
            "Constraint in the database that no migration creates");
    public static final Rule DW116 = builtIn("DW116", "missing-constraint", Severity.ERROR,
            "Constraint a migration creates is missing (e.g. a dropped foreign key)");
    public static final Rule DW117 = builtIn("DW117", "changed-constraint", Severity.ERROR,
            "Constraint definition differs from the migrations");
    public static final Rule DW118 = builtIn("DW118", "extra-view", Severity.WARNING,
            "View in the database that no migration creates");
    public static final Rule DW119 = builtIn("DW119", "missing-view", Severity.ERROR,
            "View a migration creates is missing from the database");
    public static final Rule DW120 = builtIn("DW120", "changed-view", Severity.ERROR,
            "View definition differs from the migrations");
    public static final Rule DW121 = builtIn("DW121", "extra-sequence", Severity.WARNING,
            "Sequence in the database that no migration creates");
    public static final Rule DW122 = builtIn("DW122", "missing-sequence", Severity.ERROR,
            "Sequence a migration creates is missing from the database");
    public static final Rule DW123 = builtIn("DW123", "changed-sequence", Severity.WARNING,
            "Sequence parameters differ from the migrations");
    public static final Rule DW124 = builtIn("DW124", "extra-enum", Severity.WARNING,
            "Enum type in the database that no migration creates");
    public static final Rule DW125 = builtIn("DW125", "missing-enum", Severity.ERROR,
            "Enum type a migration creates is missing from the database");
    public static final Rule DW126 = builtIn("DW126", "changed-enum", Severity.ERROR,
            "Enum labels (or their order) differ from the migrations");
    public static final Rule DW127 = builtIn("DW127", "extra-schema", Severity.WARNING,
            "Schema in the database that no migration creates");
    public static final Rule DW128 = builtIn("DW128", "missing-schema", Severity.ERROR,
            "Schema a migration creates is missing from the database");
    public static final Rule DW129 = builtIn("DW129", "extra-extension", Severity.WARNING,
            "Extension installed in the database that no migration creates");
    public static final Rule DW130 = builtIn("DW130", "missing-extension", Severity.ERROR,
            "Extension a migration creates is missing from the database");
    public static final Rule DW131 = builtIn("DW131", "changed-extension", Severity.WARNING,
            "Extension version or schema differs from the migrations");
    public static final Rule DW132 = builtIn("DW132", "extra-collation", Severity.WARNING,
            "Collation in the database that no migration creates");
    public static final Rule DW133 = builtIn("DW133", "missing-collation", Severity.ERROR,
            "Collation a migration creates is missing from the database");
    public static final Rule DW134 = builtIn("DW134", "changed-collation", Severity.ERROR,
            "Collation provider, locale or determinism differs");
    public static final Rule DW135 = builtIn("DW135", "extra-domain", Severity.WARNING,
            "Domain in the database that no migration creates");
    public static final Rule DW136 = builtIn("DW136", "missing-domain", Severity.ERROR,
            "Domain a migration creates is missing from the database");
    public static final Rule DW137 = builtIn("DW137", "changed-domain", Severity.ERROR,
            "Domain base type, default, NOT NULL or checks differ");
    public static final Rule DW138 = builtIn("DW138", "extra-composite-type", Severity.WARNING,
            "Composite type in the database that no migration creates");
    public static final Rule DW139 = builtIn("DW139", "missing-composite-type", Severity.ERROR,
            "Composite type a migration creates is missing from the database");
    public static final Rule DW140 = builtIn("DW140", "changed-composite-type", Severity.ERROR,
            "Composite type attributes differ from the migrations");
    public static final Rule DW141 = builtIn("DW141", "extra-range-type", Severity.WARNING,
            "Range type in the database that no migration creates");
    public static final Rule DW142 = builtIn("DW142", "missing-range-type", Severity.ERROR,
            "Range type a migration creates is missing from the database");
    public static final Rule DW143 = builtIn("DW143", "changed-range-type", Severity.ERROR,
            "Range type subtype or support functions differ");
    public static final Rule DW144 = builtIn("DW144", "extra-function", Severity.WARNING,
            "Function in the database that no migration creates");
    public static final Rule DW145 = builtIn("DW145", "missing-function", Severity.ERROR,
            "Function a migration creates is missing from the database");
    public static final Rule DW146 = builtIn("DW146", "changed-function", Severity.ERROR,
            "Function body, language, volatility, strictness, security or settings differ");
    public static final Rule DW147 = builtIn("DW147", "extra-procedure", Severity.WARNING,
            "Procedure in the database that no migration creates");
    public static final Rule DW148 = builtIn("DW148", "missing-procedure", Severity.ERROR,
            "Procedure a migration creates is missing from the database");
    public static final Rule DW149 = builtIn("DW149", "changed-procedure", Severity.ERROR,
            "Procedure body, language, security or settings differ");
    public static final Rule DW150 = builtIn("DW150", "extra-aggregate", Severity.WARNING,
            "Aggregate in the database that no migration creates");
    public static final Rule DW151 = builtIn("DW151", "missing-aggregate", Severity.ERROR,
            "Aggregate a migration creates is missing from the database");
    public static final Rule DW152 = builtIn("DW152", "changed-aggregate", Severity.ERROR,
            "Aggregate state function, type or final function differs");
    public static final Rule DW153 = builtIn("DW153", "extra-trigger", Severity.WARNING,
            "Trigger in the database that no migration creates");
    public static final Rule DW154 = builtIn("DW154", "missing-trigger", Severity.ERROR,
            "Trigger a migration creates is missing from the database");
    public static final Rule DW155 = builtIn("DW155", "changed-trigger", Severity.ERROR,
            "Trigger definition or enabled state differs (a disabled trigger?)");
    public static final Rule DW156 = builtIn("DW156", "extra-event-trigger", Severity.WARNING,
            "Event trigger in the database that no migration creates");
    public static final Rule DW157 = builtIn("DW157", "missing-event-trigger", Severity.ERROR,
            "Event trigger a migration creates is missing from the database");
    public static final Rule DW158 = builtIn("DW158", "changed-event-trigger", Severity.ERROR,
            "Event trigger event, tags, function or enabled state differs");
    public static final Rule DW159 = builtIn("DW159", "extra-policy", Severity.WARNING,
            "Row level security policy in the database that no migration creates");
    public static final Rule DW160 = builtIn("DW160", "missing-policy", Severity.ERROR,
            "Row level security policy a migration creates is missing");
    public static final Rule DW161 = builtIn("DW161", "changed-policy", Severity.ERROR,
            "Row level security policy command, roles or expressions differ");
    public static final Rule DW162 = builtIn("DW162", "extra-comment", Severity.INFO,
            "Comment in the database that no migration sets");
    public static final Rule DW163 = builtIn("DW163", "missing-comment", Severity.INFO,
            "Comment a migration sets is missing from the database");
    public static final Rule DW164 = builtIn("DW164", "changed-comment", Severity.INFO,
            "Comment text differs from the migrations");
    public static final Rule DW165 = builtIn("DW165", "extra-privilege", Severity.WARNING,
            "Privilege granted in the database that no migration grants (--with-privileges)");
    public static final Rule DW166 = builtIn("DW166", "missing-privilege", Severity.ERROR,
            "Privilege a migration grants is missing from the database (--with-privileges)");
    public static final Rule DW167 = builtIn("DW167", "changed-privilege", Severity.ERROR,
            "A grantee's privileges differ from the migrations (--with-privileges)");
    public static final Rule DW168 = builtIn("DW168", "extra-default-privilege", Severity.WARNING,
            "Default privilege in the database that no migration sets (--with-privileges)");
    public static final Rule DW169 = builtIn("DW169", "missing-default-privilege", Severity.ERROR,
            "Default privilege a migration sets is missing (--with-privileges)");
    public static final Rule DW170 = builtIn("DW170", "changed-default-privilege", Severity.ERROR,
            "Default privileges differ from the migrations (--with-privileges)");
    public static final Rule DW171 = builtIn("DW171", "changed-owner", Severity.WARNING,
            "Object owner differs from the migrations (--with-owners)");
    public static final Rule DW172 = builtIn("DW172", "table-persistence-changed", Severity.ERROR,
            "Table is UNLOGGED on one side and logged on the other");
    public static final Rule DW173 = builtIn("DW173", "row-security-changed", Severity.ERROR,
            "Row level security enabled or forced differs");
    public static final Rule DW174 = builtIn("DW174", "table-options-changed", Severity.WARNING,
            "Table storage parameters (reloptions) differ");
    public static final Rule DW175 = builtIn("DW175", "table-inheritance-changed", Severity.ERROR,
            "Table inheritance parents differ");
    public static final Rule DW176 = builtIn("DW176", "view-options-changed", Severity.ERROR,
            "View options differ (security_barrier, check_option, security_invoker)");
    public static final Rule DW177 = builtIn("DW177", "column-identity-options-changed", Severity.WARNING,
            "Identity column sequence options differ");
    public static final Rule DW178 = builtIn("DW178", "not-audited", Severity.INFO,
            "Object Driftwatch does not model yet (foreign table, publication, rule, ...): not compared");
    public static final Rule DW201 = builtIn("DW201", "checksum-mismatch", Severity.ERROR,
            "Migration file edited after it was applied (checksum differs)");
    public static final Rule DW202 = builtIn("DW202", "missing-migration", Severity.ERROR,
            "Applied migration has no script locally");
    public static final Rule DW203 = builtIn("DW203", "pending-migration", Severity.INFO,
            "Migration not applied yet (will run on the next deploy)");
    public static final Rule DW204 = builtIn("DW204", "failed-migration", Severity.ERROR,
            "Version table holds a failed migration");
    public static final Rule DW205 = builtIn("DW205", "ignored-migration", Severity.WARNING,
            "Unapplied migration older than the current version (Flyway skips it unless outOfOrder)");
    public static final Rule DW206 = builtIn("DW206", "out-of-order", Severity.INFO,
            "Migration was applied out of order");
    public static final Rule DW207 = builtIn("DW207", "future-migration", Severity.WARNING,
            "Applied version newer than any local script");
    public static final Rule DW208 = builtIn("DW208", "outdated-repeatable", Severity.WARNING,
            "Repeatable migration changed since it was last applied");
    public static final Rule DW209 = builtIn("DW209", "baseline", Severity.INFO,
            "Version table starts from a baseline");
    public static final Rule DW210 = builtIn("DW210", "cannot-replay", Severity.WARNING,
            "Applied Java migration cannot be replayed into the shadow database");
    public static final Rule DW211 = builtIn("DW211", "invalid-history-row", Severity.ERROR,
            "Version table row breaks Flyway's rules");
    public static final Rule DW212 = builtIn("DW212", "history-unreadable", Severity.WARNING,
            "Version table could not be read (permission); all scripts were replayed");
    public static final Rule DW301 = builtIn("DW301", "migration-fails", Severity.ERROR,
            "Pending migration fails when rehearsed, on the live schema and on the migrations' own schema alike");
    public static final Rule DW302 = builtIn("DW302", "drift-breaks-migration", Severity.ERROR,
            "Pending migration fails on the live schema but applies on the migrations' schema: drift breaks the deploy");
    public static final Rule DW303 = builtIn("DW303", "migration-in-flight", Severity.ERROR,
            "Another migration is running now (Flyway's lock is held or DDL is in progress)");
    public static final Rule DW304 = builtIn("DW304", "rehearsal-incomplete", Severity.WARNING,
            "The rehearsal could not clone the live schema faithfully or could not run every pending migration");
    public static final Rule DW310 = builtIn("DW310", "table-rewrite", Severity.WARNING,
            "Pending migration rewrites a table holding rows (ACCESS EXCLUSIVE lock for the whole rewrite)");
    public static final Rule DW311 = builtIn("DW311", "access-exclusive-lock", Severity.WARNING,
            "Pending migration takes an ACCESS EXCLUSIVE lock on a large table");
    public static final Rule DW312 = builtIn("DW312", "blocking-index-build", Severity.WARNING,
            "Pending migration builds an index without CONCURRENTLY on a table holding rows (blocks writes)");
    public static final Rule DW313 = builtIn("DW313", "drops-data", Severity.WARNING,
            "Pending migration drops a table or column that holds data");
    public static final Rule DW314 = builtIn("DW314", "validates-under-lock", Severity.WARNING,
            "Pending migration scans a large table under lock to validate (SET NOT NULL, CHECK or FOREIGN KEY without NOT VALID)");
    public static final Rule DW320 = builtIn("DW320", "nulls-block-not-null", Severity.ERROR,
            "Live rows hold NULL in a column a pending migration makes NOT NULL");
    public static final Rule DW321 = builtIn("DW321", "duplicates-block-unique", Severity.ERROR,
            "Live rows duplicate the key of a UNIQUE constraint, primary key or unique index a pending migration adds");
    public static final Rule DW322 = builtIn("DW322", "orphans-block-foreign-key", Severity.ERROR,
            "Live rows reference keys missing from the table a pending foreign key points at");
    public static final Rule DW323 = builtIn("DW323", "rows-violate-check", Severity.ERROR,
            "Live rows violate a CHECK constraint a pending migration adds");
    public static final Rule DW324 = builtIn("DW324", "values-do-not-cast", Severity.ERROR,
            "Live values do not cast to the column type a pending migration sets");
    public static final Rule DW325 = builtIn("DW325", "rows-block-not-null-column", Severity.ERROR,
            "Pending migration adds a NOT NULL column without a default to a table holding rows");
    public static final Rule DW326 = builtIn("DW326", "probe-refused", Severity.ERROR,
            "A read-only data probe was refused for lack of privilege; the data was not checked");
    public static final Rule DW327 = builtIn("DW327", "probe-unsafe-expression", Severity.ERROR,
            "A data probe was not run: the pending migration's expression calls a function that is not an immutable built-in");
    public static final Rule DW329 = builtIn("DW329", "probe-incomplete", Severity.ERROR,
            "A read-only data probe could not finish (timeout, lock, failure); the data was not checked");
    public static final Rule DW401 = builtIn("DW401", "expired-waiver", Severity.WARNING,
            "A waiver's expiry date has passed: it no longer hides its finding");
    public static final Rule DW402 = builtIn("DW402", "unused-waiver", Severity.INFO,
            "A waiver in driftwatch.yaml matches no finding (the drift it excused is gone?)");
    public static final Rule DW403 = builtIn("DW403", "invalid-inline-waiver", Severity.WARNING,
            "A driftwatch:ignore comment names an unknown rule or gives no reason: it waives nothing");

    private final String id;
    private final String slug;
    private final Severity defaultSeverity;
    private final String title;
    private final boolean builtIn;
    private final String description;
    private final String fix;
    private final String see;

    private Rule(String id, String slug, Severity defaultSeverity, String title, boolean builtIn,
                 String description, String fix, String see) {
        this.id = id;
        this.slug = slug;
        this.defaultSeverity = defaultSeverity;
        this.title = title;
        this.builtIn = builtIn;
        this.description = description;
        this.fix = fix;
        this.see = see;
    }

    private static Rule builtIn(String id, String slug, Severity severity, String title) {
        Rule r = new Rule(id, slug, severity, title, true, null, null, null);
        BUILT_IN.put(id, r);
        return r;
    }

    /**
     * A rule defined outside this class: an SQL rule file or the lint pack.
     *
     * @param id          stable id, e.g. {@code DW330} or {@code ACME001}: letters then digits
     * @param slug        kebab-case name, e.g. {@code table-without-primary-key}
     * @param severity    default severity
     * @param title       one line: what the rule detects
     * @param description a paragraph: why it matters (may be empty)
     * @param fix         how to fix a finding (may be empty)
     * @return the rule; equal to every other rule with the same id
     * @throws IllegalArgumentException when the id or slug is malformed or the id is a built-in rule's
     */
    public static Rule custom(String id, String slug, Severity severity, String title, String description,
                              String fix) {
        return custom(id, slug, severity, title, description, fix, "");
    }

    /**
     * A rule defined outside this class, with a reference URL.
     *
     * @param id          stable id, e.g. {@code DW330} or {@code ACME001}: letters then digits
     * @param slug        kebab-case name, e.g. {@code table-without-primary-key}
     * @param severity    default severity
     * @param title       one line: what the rule detects
     * @param description a paragraph: why it matters (may be empty)
     * @param fix         how to fix a finding (may be empty)
     * @param see         URL of the documentation behind the rule (may be empty)
     * @return the rule; equal to every other rule with the same id
     * @throws IllegalArgumentException when the id or slug is malformed or the id is a built-in rule's
     */
    public static Rule custom(String id, String slug, Severity severity, String title, String description,
                              String fix, String see) {
        if (id == null || !id.matches("[A-Z][A-Z_]*[0-9]+")) {
            throw new IllegalArgumentException("rule id '" + id + "' must be capital letters then digits, e.g. ACME001");
        }
        if (BUILT_IN.containsKey(id) || RuleCatalog.entries().containsKey(id)) {
            throw new IllegalArgumentException("rule id " + id + " is a built-in rule");
        }
        if (slug == null || !slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("rule " + id + ": name '" + slug + "' must be kebab-case, e.g. table-without-primary-key");
        }
        return new Rule(id, slug, java.util.Objects.requireNonNull(severity), java.util.Objects.requireNonNull(title),
                false, description == null ? "" : description, fix == null ? "" : fix, see == null ? "" : see);
    }

    /**
     * A built-in rule that a wing defines ({@code wing: NAME} in {@code rules/catalog.yaml}; e.g. the
     * Alembic history rules): its id, slug, default severity and title come from the catalog, so a
     * new migration tool or database adds its rules without a constant here.
     *
     * @param id the rule id, e.g. {@code DW221}
     * @return the rule
     * @throws IllegalArgumentException when the catalog has no wing rule with that id
     */
    public static Rule wing(String id) {
        return WING.computeIfAbsent(id, k -> {
            RuleCatalog.Entry e = RuleCatalog.entries().get(k);
            if (e == null || e.wing() == null) {
                throw new IllegalArgumentException("no wing rule " + k + " in " + RuleCatalog.RESOURCE);
            }
            return new Rule(e.id(), e.name(), e.severity(), e.title(), true, null, null, null);
        });
    }

    /** @return the built-in rules, the core's constants and every wing's, in id order */
    public static java.util.List<Rule> values() {
        java.util.List<Rule> all = new java.util.ArrayList<>(BUILT_IN.values());
        for (RuleCatalog.Entry e : RuleCatalog.entries().values()) {
            if (e.wing() != null) {
                all.add(wing(e.id()));
            }
        }
        all.sort(null);
        return java.util.List.copyOf(all);
    }

    /** @return the core's constants only, in id order (what the catalog is checked against) */
    static java.util.List<Rule> core() {
        return java.util.List.copyOf(BUILT_IN.values());
    }

    /** @return the rule id, e.g. {@code DW101} */
    public String id() {
        return id;
    }

    /** @return the rule id, e.g. {@code DW101} (the name it had as an enum constant) */
    public String name() {
        return id;
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

    /** @return true for the rules of this class, false for {@link #custom} rules */
    public boolean isBuiltIn() {
        return builtIn;
    }

    /** @return a paragraph on why the rule matters ({@code rules/catalog.yaml} for built-ins), or "" */
    public String description() {
        return builtIn ? RuleCatalog.description(id) : description;
    }

    /** @return how to fix a finding of this rule ({@code rules/catalog.yaml} for built-ins), or "" */
    public String fix() {
        return builtIn ? RuleCatalog.fix(id) : fix;
    }

    /**
     * @return URL of the PostgreSQL or Flyway documentation behind the rule ({@code rules/catalog.yaml}
     *         for built-ins), or "" when there is none
     */
    public String see() {
        return builtIn ? RuleCatalog.see(id) : see;
    }

    /** @return {@code "DW101 extra-index"} */
    public String display() {
        return id + " " + slug;
    }

    /**
     * @param idOrSlug {@code DW101}, {@code dw101} or {@code extra-index}
     * @return the built-in rule
     * @throws IllegalArgumentException if no built-in rule has that id or slug
     */
    public static Rule parse(String idOrSlug) {
        String s = idOrSlug.trim();
        Rule byId = BUILT_IN.get(s.toUpperCase(java.util.Locale.ROOT));
        if (byId != null) {
            return byId;
        }
        for (Rule r : values()) {
            if (r.id.equalsIgnoreCase(s) || r.slug.equals(s.toLowerCase(java.util.Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rule: " + idOrSlug);
    }

    /** Orders by id (built-in ids sort as they are numbered). */
    @Override
    public int compareTo(Rule o) {
        return id.compareTo(o.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r && r.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** @return the id, e.g. {@code DW101} */
    @Override
    public String toString() {
        return id;
    }
}
