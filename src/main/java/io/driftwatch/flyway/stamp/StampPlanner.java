package io.driftwatch.flyway.stamp;

import io.driftwatch.reconcile.ScriptProof;
import io.driftwatch.reconcile.SqlComments;

import io.driftwatch.flyway.HistoryFinding;
import io.driftwatch.flyway.HistoryFinding.Kind;
import io.driftwatch.flyway.FlywayHistoryReport;
import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.flyway.AppliedMigration;
import io.driftwatch.model.Identifiers;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.flyway.Versions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Plans the SQL that makes a Flyway version table tell the truth about a schema that already matches
 * the migrations. Pure: no JDBC; the caller proves which scripts' objects are present.
 *
 * <p>Actions, in script order:
 * <ol>
 *   <li>{@link StampAction.Baseline} when {@link StampSettings#baselineVersion()} is set (the table must be
 *       empty; every local versioned script at or below it must be present);</li>
 *   <li>{@link StampAction.DeleteFailed} for every row with {@code success = false} ({@code flyway repair});</li>
 *   <li>{@link StampAction.RealignChecksum} for every {@link Kind#CHECKSUM_MISMATCH} ({@code flyway repair});</li>
 *   <li>{@link StampAction.MarkDeleted} for every {@link Kind#MISSING} with {@code --forget-missing};</li>
 *   <li>{@link StampAction.InsertApplied} for every script named in {@code present} (pending, ignored,
 *       failed-then-deleted, outdated repeatables), versioned by version then repeatables.</li>
 * </ol>
 * New rows get {@code installed_rank} = highest remaining rank + 1, +2, ... (failed rows deleted first,
 * as Flyway computes ranks from the table as it is), {@code installed_on} the column default
 * {@code now()}, {@code execution_time} 0, {@code success} true: the columns of Flyway 13's
 * {@code flyway_schema_history} (checked by migrating a database with Flyway 13.12 and reading the table).
 *
 * <p>The script: a header of comments; {@code BEGIN;}; {@code SET LOCAL lock_timeout = '10s'};
 * {@code LOCK TABLE ... IN EXCLUSIVE MODE} (a concurrent {@code flyway migrate} waits or the script fails,
 * never interleaves); the guard, a {@code DO} block that raises
 * {@code <table> changed since the audit (expected hash H, found F); re-run driftwatch stamp} when
 * {@link HistoryHash} of the table is not the hash planned from; one statement per action, each after a
 * comment; {@code COMMIT;}. Identifiers go through {@link Identifiers#quote}, values through
 * {@link Identifiers#literal} ({@code E''} form when they hold a backslash, so
 * {@code standard_conforming_strings} does not matter, and with {@code ${} written {@code \\x24{}); comment
 * text goes through {@link SqlComments#text}, so no name can end a comment line. The plan also lists the
 * statements the script runs ({@link StampPlan#statements()}), so the verifier can check what psql executed.
 */
public final class StampPlanner {

    /** Flyway's description and script of a baseline row ({@code BaselineMigrationType}). */
    public static final String BASELINE_TEXT = "<< Flyway Baseline >>";

    /** Creates a planner; it holds no state. */
    public StampPlanner() {
    }

    /**
     * @param scripts  the local scripts
     * @param history  the version table as read (its schema and table name are the table the script changes)
     * @param report   {@code HistoryChecker.check(scripts, history)}
     * @param present  script names ({@link ResolvedMigration#script()}) whose objects are proven present in
     *                 the database and that the history does not record as applied; others are ignored
     * @param settings installed_by, --forget-missing, --baseline
     * @return the plan; no actions (and empty SQL) when there is nothing to stamp
     * @throws IllegalArgumentException when {@code --baseline} is given but the table has rows
     * @throws StampRefusedException    when {@code --baseline} covers a script whose objects are not present
     */
    public StampPlan plan(MigrationSet scripts, AppliedHistory history, FlywayHistoryReport report, Set<String> present,
                          StampSettings settings) throws StampRefusedException {
        String guard = HistoryHash.of(history);
        String baseline = settings.baselineVersion();
        List<StampAction> actions = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<AppliedMigration> rows = new ArrayList<>(history.rows());
        rows.sort(Comparator.comparingInt(AppliedMigration::installedRank));

        if (baseline != null) {
            if (!rows.isEmpty()) {
                throw new IllegalArgumentException("--baseline needs an empty version table, but "
                        + Identifiers.qualified(history.schema(), history.table()) + " has " + rows.size()
                        + (rows.size() == 1 ? " row" : " rows"));
            }
            for (ResolvedMigration m : scripts.versioned()) {
                if (Versions.compare(m.version(), baseline) <= 0 && !present.contains(m.script())) {
                    throw new StampRefusedException("cannot baseline at version " + baseline + ": the objects of V"
                            + Versions.normalize(m.version()) + " " + m.description()
                            + " are not in the database; that needs a bridge: run driftwatch bridge");
                }
            }
        }

        List<AppliedMigration> failed = rows.stream().filter(r -> !r.success()).toList();
        int next = rows.stream().filter(AppliedMigration::success).mapToInt(AppliedMigration::installedRank)
                .max().orElse(0) + 1;

        if (baseline != null) {
            actions.add(new StampAction.Baseline(baseline, next++));
        }
        for (AppliedMigration r : failed) {
            actions.add(new StampAction.DeleteFailed(r));
        }
        for (HistoryFinding f : report.findings()) {
            switch (f.kind()) {
                case CHECKSUM_MISMATCH -> realign(f, rows, scripts, actions);
                case MISSING -> {
                    AppliedMigration row = latestRow(f, rows);
                    if (settings.forgetMissing() && row != null) {
                        actions.add(new StampAction.MarkDeleted(row, next++));
                    } else {
                        left.add(f.message() + "; left as is (pass --forget-missing to record it as deleted,"
                                + " as flyway repair does)");
                    }
                }
                case PENDING, IGNORED -> {
                    if (!present.contains(f.script())) {
                        left.add(f.ref().qualifiedName() + " (" + f.script() + "): not applied, and the database does"
                                + " not show that it ran (its objects are absent, or it changes none); left pending"
                                + " for the next flyway migrate");
                    }
                }
                case FUTURE -> left.add(f.message() + "; left as is (Flyway ignores future migrations by default)");
                case FAILED, OUTDATED -> {
                    // FAILED rows are deleted above; OUTDATED repeatables are inserted below when present
                }
                default -> left.add(f.message() + "; left as is");
            }
        }
        for (HistoryFinding f : report.findings()) {
            if (f.kind() == Kind.OUTDATED && !present.contains(f.script())) {
                left.add(f.message());
            }
        }
        for (ResolvedMigration m : report.allScripts()) {
            boolean belowBaseline = baseline != null && !m.repeatable() && Versions.compare(m.version(), baseline) <= 0;
            if (present.contains(m.script()) && !belowBaseline) {
                actions.add(new StampAction.InsertApplied(m, next++));
            }
        }
        Script script = actions.isEmpty() ? new Script("", List.of())
                : render(history, guard, actions, left, settings.installedBy());
        return new StampPlan(actions, guard, script.sql(), left, script.statements());
    }

    private static void realign(HistoryFinding f, List<AppliedMigration> rows, MigrationSet scripts,
                                List<StampAction> actions) {
        String name = f.ref().qualifiedName();
        for (ResolvedMigration m : scripts.versioned()) {
            if (!("V" + Versions.normalize(m.version())).equals(name)) {
                continue;
            }
            for (AppliedMigration r : rows) {
                if (r.success() && "SQL".equals(r.type()) && Versions.isValid(r.version())
                        && Versions.compare(r.version(), m.version()) == 0 && r.checksum() != null
                        && r.checksum() != m.checksum()) {
                    actions.add(new StampAction.RealignChecksum(name, r.installedRank(), r.checksum(), m.checksum()));
                }
            }
            return;
        }
    }

    /** @return the highest-ranked successful row the finding is about, or null */
    private static AppliedMigration latestRow(HistoryFinding f, List<AppliedMigration> rows) {
        AppliedMigration found = null;
        for (AppliedMigration r : rows) {
            if (r.success() && rowName(r).equals(f.ref().qualifiedName()) && !"DELETE".equals(r.type())) {
                found = r;
            }
        }
        return found;
    }

    /** @return {@code V<version>}, {@code R <description>} or {@code rank <n>} */
    static String rowName(AppliedMigration r) {
        if (Versions.isValid(r.version())) {
            return "V" + Versions.normalize(r.version());
        }
        if (r.version() == null && r.description() != null) {
            return "R " + r.description();
        }
        return "rank " + r.installedRank();
    }

    /** The script and the statements it runs, each with the comment lines and blank lines before it. */
    private record Script(String sql, List<ScriptProof.Expected> statements) {
    }

    private static Script render(AppliedHistory history, String guard, List<StampAction> actions, List<String> left,
                                 String installedBy) {
        String table = Identifiers.quote(history.schema()) + "." + Identifiers.quote(history.table());
        String display = Identifiers.qualified(history.schema(), history.table());
        StringBuilder lead = new StringBuilder();
        lead.append(SqlComments.line("-- ", "driftwatch stamp: makes " + display + " agree with the migration scripts."));
        lead.append("-- It changes only that table, never the schema, in one transaction.\n");
        lead.append("-- Apply with: psql -X -v ON_ERROR_STOP=1 -f <this file>\n");
        lead.append("-- It aborts without changing anything if the table changed since the audit (hash ")
                .append(guard).append(").\n");
        if (!left.isEmpty()) {
            lead.append("-- Left as is:\n");
            for (String l : left) {
                lead.append(SqlComments.line("--   ", l));
            }
        }
        lead.append('\n');
        List<ScriptProof.Expected> statements = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        statement(sb, statements, lead.toString(), "BEGIN;");
        statement(sb, statements, "", "SET LOCAL lock_timeout = '10s';");
        statement(sb, statements, "", "LOCK TABLE " + table + " IN EXCLUSIVE MODE;");
        String body = "\nDECLARE\n    found text;\nBEGIN\n"
                + "    SELECT " + HistoryHash.expression() + "\n      INTO found FROM " + table + ";\n"
                + "    IF found IS DISTINCT FROM " + literal(guard) + " THEN\n"
                + "        RAISE EXCEPTION '% changed since the audit (expected hash %, found %); re-run driftwatch stamp',\n"
                + "            " + literal(display) + ", " + literal(guard) + ", found;\n"
                + "    END IF;\n"
                + "END\n";
        String tag = "$dw_guard$";
        for (int i = 1; body.contains(tag); i++) {
            tag = "$dw_guard" + i + "$";
        }
        statement(sb, statements, "", "DO " + tag + body + tag + ";");
        for (StampAction a : actions) {
            String sql = a.sql(table, installedBy);
            statement(sb, statements, "\n" + SqlComments.line("-- ", a.summary()),
                    sql.endsWith("\n") ? sql.substring(0, sql.length() - 1) : sql);
        }
        statement(sb, statements, "\n", "COMMIT;");
        return new Script(sb.toString(), statements);
    }

    private static void statement(StringBuilder sb, List<ScriptProof.Expected> statements, String lead, String sql) {
        statements.add(new ScriptProof.Expected(lead, sql));
        sb.append(lead).append(sql).append('\n');
    }

    /**
     * @return a string literal that means the same whether {@code standard_conforming_strings} is on or off, and
     *         holds no {@code ${} (written {@code \\x24{} in the {@code E''} form) so no placeholder replacement
     *         can change it
     */
    static String literal(String value) {
        if (value.indexOf('\\') >= 0 || value.contains("${")) {
            return "E" + Identifiers.literal(value.replace("\\", "\\\\").replace("${", "\\x24{"));
        }
        return Identifiers.literal(value);
    }

    /**
     * @return the description as Flyway stores it: cut to 197 characters plus {@code ...} when longer than the
     *         column's 200 ({@code org.flywaydb.core.internal.util.AbbreviationUtils.abbreviateDescription})
     */
    static String flywayDescription(String d) {
        return d.length() <= 200 ? d : d.substring(0, 197) + "...";
    }

    /** @return the script name as Flyway stores it ({@code AbbreviationUtils.abbreviateScript}: 1000 characters) */
    static String flywayScript(String s) {
        return s.length() <= 1000 ? s : "..." + s.substring(3, 1000);
    }

    static String nullable(String value) {
        return value == null ? "NULL" : literal(value);
    }

    /** @return the text safe in a {@code --} comment ({@link SqlComments#text}) */
    static String comment(String text) {
        return SqlComments.text(text);
    }
}
