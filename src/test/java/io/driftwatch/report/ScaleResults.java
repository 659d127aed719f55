package io.driftwatch.report;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.policy.Waiver;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A large, deterministic audit result for the HTML report at scale (issue 6): {@code n} findings
 * over {@code n / 5} tables in {@value #SCHEMAS} schemas, a mix of rules and severities the way a
 * drifted production database shows them (extra and missing columns, changed types and defaults,
 * extra indexes, missing foreign keys), every {@value #WAIVE_EVERY}th finding waived, plus a custom
 * rule with a description and fix hint and the hostile names of {@link SampleResults#hostile()}.
 *
 * <p>Counts a test can rely on, for {@code n} a multiple of 100: finding {@code i} is on table
 * {@code t_(i / 5)} in schema {@code tenant_(i / 5 % 5)} and uses rule {@code RULES[i % 10]}.
 */
final class ScaleResults {

    /** Number of schemas the tables are spread over. */
    static final int SCHEMAS = 5;
    /** Every this many findings, one is waived. */
    static final int WAIVE_EVERY = 10;

    /** A custom (SQL) rule carrying a description and a fix hint. */
    static final Rule FLOAT_MONEY = Rule.custom("ACME001", "float-money", Severity.WARNING,
            "Money column stored as a floating-point type",
            "Floating-point types round; amounts drift by cents when summed.",
            "ALTER TABLE ... ALTER COLUMN ... TYPE numeric(12,2) in a new migration.");

    /** Ten rules, cycled by finding index. */
    static final Rule[] RULES = {Rule.DW107, Rule.DW108, Rule.DW109, Rule.DW110, Rule.DW111,
            Rule.DW101, Rule.DW116, Rule.DW109, Rule.DW107, FLOAT_MONEY};

    private ScaleResults() {
    }

    /** @return the table a finding {@code i} is on, e.g. {@code t_0042} */
    static String table(int i) {
        return String.format("t_%04d", i / 5);
    }

    /** @return the schema of finding {@code i}, e.g. {@code tenant_2} */
    static String schema(int i) {
        return "tenant_" + (i / 5 % SCHEMAS);
    }

    /** @return true when finding {@code i} is waived */
    static boolean waived(int i) {
        return i % WAIVE_EVERY == 3;
    }

    /**
     * @param n number of generated findings (the hostile ones come on top)
     * @return an audit with {@code n + 3} findings, failing at {@code --fail-on error}
     */
    static AuditResult audit(int n) {
        List<Finding> findings = new ArrayList<>(n + 3);
        findings.addAll(SampleResults.hostile().findings());
        for (int i = 0; i < n; i++) {
            findings.add(finding(i));
        }
        return new AuditResult("0.1.0", SampleResults.STARTED, 61_000, SampleResults.target(),
                SampleResults.expected(), findings, SampleResults.history(), Severity.ERROR,
                List.of(n + " generated findings"));
    }

    private static Finding finding(int i) {
        Rule rule = RULES[i % RULES.length];
        String schema = schema(i);
        String table = table(i);
        String col = "col_" + i;
        Finding f;
        if (rule == Rule.DW101) {
            String idx = table + "_" + col + "_idx";
            f = new Finding(rule, rule.defaultSeverity(), ObjectRef.child(ObjectKind.INDEX, schema, table, idx), null,
                    "CREATE INDEX " + idx + " ON " + schema + "." + table + " USING btree (" + col + ")",
                    "index " + schema + "." + table + "." + idx + " exists in the database but in no migration");
        } else if (rule == Rule.DW116) {
            String fk = table + "_" + col + "_fkey";
            f = new Finding(rule, rule.defaultSeverity(), ObjectRef.child(ObjectKind.CONSTRAINT, schema, table, fk),
                    "FOREIGN KEY (" + col + ") REFERENCES " + schema + ".customers(id)", null,
                    "foreign key " + schema + "." + table + "." + fk + " is missing");
        } else {
            ObjectRef ref = ObjectRef.child(ObjectKind.COLUMN, schema, table, col);
            String expected = rule == Rule.DW107 ? null : "numeric(12,2) NOT NULL DEFAULT 0";
            String actual = rule == Rule.DW108 ? null : "double precision";
            f = new Finding(rule, rule.defaultSeverity(), ref, expected, actual,
                    "column " + ref.qualifiedName() + " " + rule.title().toLowerCase(java.util.Locale.ROOT));
        }
        if (waived(i)) {
            f = f.withWaiver(new Waiver("reporting replica keeps its own columns (ticket DBA-" + (i % 97) + ")",
                    i % 20 == 3 ? LocalDate.of(2030, 6, 30) : null, "driftwatch.yaml:" + (10 + i % 40)));
        }
        return f;
    }
}
