package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.flyway.MigrationStatus;
import io.driftwatch.model.HistoryState;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Audit results built in Java for the reporter tests (no database). */
final class SampleResults {

    static final Instant STARTED = Instant.parse("2024-05-01T10:15:30Z");

    /** A name crafted to break naive HTML, attribute, script and terminal output. */
    static final String HOSTILE = "<script>alert(\"x\")</script>'&\u00e9\u2603\u202e";

    private SampleResults() {
    }

    static AuditResult.Target target() {
        return new AuditResult.Target("postgresql://auditor@db.example:5432/shop", "16.4", List.of("public", "billing"), 42);
    }

    static AuditResult.Expected expected() {
        return new AuditResult.Expected(List.of("filesystem:db/migration"), "public.flyway_schema_history",
                "local initdb (PostgreSQL 16.4, /usr/lib/postgresql/16/bin)", 5, 4, 41);
    }

    static HistoryState history() {
        return flyway(
                new MigrationStatus("1", "init", "SQL", "V1__init.sql", "success", 1, "2024-04-01 09:00:00", "deploy", 1234567, 1234567),
                new MigrationStatus("2", "orders", "SQL", "V2__orders.sql", "success", 2, "2024-04-02 09:00:00", "deploy", -99, 42),
                new MigrationStatus("3", "broken", "SQL", "V3__broken.sql", "failed", 3, "2024-04-03 09:00:00", "deploy", 77, 77),
                new MigrationStatus("4", "gone", "SQL", "V4__gone.sql", "missing", 4, "2024-04-04 09:00:00", "deploy", null, 55),
                new MigrationStatus("5", "next", "SQL", "V5__next.sql", "pending", null, null, null, 66, null),
                new MigrationStatus(null, "views", "SQL", "R__views.sql", "outdated", 5, "2024-04-05 09:00:00", "deploy", 8, 9));
    }

    /** No findings, nothing pending: status clean, failed false. */
    static AuditResult clean() {
        return new AuditResult("0.1.0", STARTED, 1234, target(), expected(), List.of(), flyway(
                new MigrationStatus("1", "init", "SQL", "V1__init.sql", "success", 1, "2024-04-01 09:00:00", "deploy", 1, 1)),
                Severity.ERROR, List.of());
    }

    static Finding missingFk() {
        return new Finding(Rule.DW116, Severity.ERROR,
                ObjectRef.child(ObjectKind.CONSTRAINT, "public", "orders", "orders_customer_id_fkey"),
                "FOREIGN KEY (customer_id) REFERENCES customers(id)", null,
                "foreign key public.orders.orders_customer_id_fkey is missing");
    }

    static Finding extraIndex() {
        return new Finding(Rule.DW101, Severity.WARNING,
                ObjectRef.child(ObjectKind.INDEX, "public", "orders", "orders_note_idx"),
                null, "CREATE INDEX orders_note_idx ON public.orders USING btree (note)",
                "index public.orders.orders_note_idx exists in the database but in no migration");
    }

    static Finding pending() {
        return new Finding(Rule.DW203, Severity.INFO, ObjectRef.migration("5"), null, null,
                "migration 5 (next) is pending");
    }

    static Finding checksum() {
        return new Finding(Rule.DW201, Severity.ERROR, ObjectRef.migration("2"), "checksum -99", "checksum 42",
                "migration 2 (orders) was edited after it was applied");
    }

    static Finding typeChanged() {
        return new Finding(Rule.DW109, Severity.ERROR,
                ObjectRef.child(ObjectKind.COLUMN, "billing", "invoices", "amount"),
                "numeric(12,2)", "numeric(10,2)", "column billing.invoices.amount type differs");
    }

    /** Findings of every severity, including history findings, given out of order. */
    static AuditResult everySeverity() {
        return new AuditResult("0.1.0", STARTED, 83_500, target(), expected(),
                List.of(pending(), extraIndex(), missingFk(), checksum(), typeChanged()),
                history(), Severity.ERROR,
                List.of("shadow: local initdb", "target is PostgreSQL 16.4, shadow 16.4"));
    }

    /** One finding per severity on objects with hostile names. */
    static AuditResult hostile() {
        ObjectRef table = ObjectRef.of(ObjectKind.TABLE, HOSTILE, HOSTILE);
        ObjectRef column = ObjectRef.child(ObjectKind.COLUMN, "public", HOSTILE, "\"quoted\" col");
        return new AuditResult("0.1.0<b>", STARTED, 10, new AuditResult.Target(
                "postgresql://auditor:s3cret@db/" + HOSTILE + "?password=hunter2", "16.4</title><script>x()</script>",
                List.of(HOSTILE), 1),
                new AuditResult.Expected(List.of("filesystem:" + HOSTILE), HOSTILE, HOSTILE, 1, 1, 1),
                List.of(new Finding(Rule.DW104, Severity.WARNING, table, null, "CREATE TABLE " + HOSTILE + " ()",
                                "table " + HOSTILE + " exists in the database but in no migration"),
                        new Finding(Rule.DW109, Severity.ERROR, column, "text /* </pre><script>alert(1)</script> */",
                                "integer \u001b[31mred\u001b[0m\nsecond line", "type of " + HOSTILE + " differs\u001b[2J"),
                        new Finding(Rule.DW203, Severity.INFO, ObjectRef.migration(HOSTILE), null, null, HOSTILE)),
                flyway(new MigrationStatus(HOSTILE, HOSTILE, "SQL", HOSTILE, "failed", 1, HOSTILE, HOSTILE, 1, 2)),
                Severity.WARNING, List.of(HOSTILE));
    }

    /** {@code n} findings spread over severities and objects, plus the hostile ones. */
    static AuditResult many(int n) {
        List<Finding> findings = new ArrayList<>(hostile().findings());
        Rule[] rules = {Rule.DW107, Rule.DW111, Rule.DW110, Rule.DW203};
        Severity[] severities = {Severity.WARNING, Severity.WARNING, Severity.ERROR, Severity.INFO};
        for (int i = 0; i < n; i++) {
            int k = i % rules.length;
            ObjectRef ref = ObjectRef.child(ObjectKind.COLUMN, "s" + (i % 7), "table_" + (i / 20), "col_" + i);
            findings.add(new Finding(rules[k], severities[k], ref, "text NOT NULL DEFAULT 'x'", "varchar(20)",
                    "column " + ref.qualifiedName() + " differs (" + i + ")"));
        }
        return new AuditResult("0.1.0", STARTED, 4_321, target(), expected(), findings, history(),
                Severity.ERROR, List.of("many findings"));
    }

    /** A gate result: a failed rehearsal step caused by drift, an applied one and one not run, hostile text included. */
    static AuditResult gated() {
        io.driftwatch.policy.Rehearsal r = new io.driftwatch.policy.Rehearsal("dw_rehearsal_1 on local PostgreSQL 16.4",
                List.of(new io.driftwatch.policy.Rehearsal.Step("V5__note.sql", "V5", "note",
                                io.driftwatch.policy.Rehearsal.Outcome.APPLIED, 12, null,
                                List.of("AddColumn public.orders.note")),
                        new io.driftwatch.policy.Rehearsal.Step("V6__idx.sql", "V6", "idx",
                                io.driftwatch.policy.Rehearsal.Outcome.FAILED, 3,
                                new io.driftwatch.policy.Rehearsal.Failure("ERROR: relation \"" + HOSTILE
                                        + "\" already exists (SQLState 42P07)", "42P07", 2,
                                        "CREATE INDEX </pre><script>x()</script> ON orders (note)", true,
                                        List.of("DW101 extra-index public.orders." + HOSTILE),
                                        "move production back with driftwatch bridge"), List.of()),
                        new io.driftwatch.policy.Rehearsal.Step("R__view.sql", "R view", "view",
                                io.driftwatch.policy.Rehearsal.Outcome.NOT_RUN, 0, null, List.of())),
                List.of("1 live object(s) Driftwatch does not model (DW178) are not in the clone"));
        return everySeverity().withGate(r, List.of(new Finding(Rule.DW302, Severity.ERROR, ObjectRef.migration("V6"),
                null, "ERROR: relation exists", "V6__idx.sql fails on a clone of production")), List.of("gate"), 99);
    }

    /** @return Flyway's state table as the neutral history state reports show */
    static HistoryState flyway(MigrationStatus... rows) {
        return new HistoryState("flyway", "public.flyway_schema_history", List.of(), List.of(),
                java.util.Arrays.stream(rows).map(io.driftwatch.flyway.FlywayTool::entry).toList());
    }
}
