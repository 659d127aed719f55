package io.driftwatch.gate;

import io.driftwatch.base.AuditListener;
import io.driftwatch.dialect.CatalogReader;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.GateChecks;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Revision;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.policy.Rule;
import io.driftwatch.reconcile.PlanExecutor;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.tool.VersionTableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 4 of {@code driftwatch gate}: runs the pending migrations with their own tool in a shadow clone of the
 * live schema and its version table, one migration at a time, and says per migration whether it
 * applies and what it changes.
 *
 * <p>Algorithm:
 * <ol>
 *   <li>Clone: plan the live model from an empty database with the bridge planner (the same DDL the
 *       verifier proves in every convergence test), apply it to a new shadow database, copy the live
 *       version table's rows ({@link MigrationTool#copyVersionTable}), re-read the clone and diff it against the
 *       live model; differences become a {@code DW304} finding (the rehearsal may then disagree with
 *       production) but do not stop it.</li>
 *   <li>Rehearse: each pending migration is run alone by its tool ({@link MigrationTool#replay}:
 *       Flyway with the project's schemas, table and placeholders; Alembic's upgrade), in the tool's order;
 *       the clone is read after each, and {@code diff(before, after)} is what the migration changed.
 *       The tool stops at the first failure, so later migrations are {@code NOT_RUN}.</li>
 *   <li>Explain a failure: the same pending migrations run in a second clone built from the
 *       <em>expected</em> model (the schema the applied migrations create). When the failing migration
 *       applies there, the drift broke it ({@code DW302 drift-breaks-migration}); the drift findings
 *       whose object names appear in the server's message or the failing statement are named, and the
 *       fix is {@code driftwatch stamp} when the live schema already holds everything the migration
 *       creates (it was applied by hand), else {@code driftwatch bridge}. When it fails there too, the
 *       migration itself is broken ({@code DW301 migration-fails}).</li>
 * </ol>
 * After each migration that applies, the data probes' expressions for what it changed are vetted in the
 * clone ({@link GateChecks#vet}); the verdicts travel in {@link Applied#vetting()} to the probes, which run
 * later against production.
 *
 * <p>Only shadow databases this class creates are written; the audited database is read only to copy its
 * version table.
 */
public final class Rehearser {

    private static final int STATEMENT_CHARS = 500;
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");

    private final SchemaDiffer differ = new SchemaDiffer();
    private final Dialect dialect;
    private final MigrationTool tool;
    private final GateChecks checks;

    /**
     * @param dialect the database engine (clones are planned and read with it)
     * @param tool    the migration tool that runs the pending migrations
     * @param checks  the engine's gate checks (the probes' expressions are vetted in the clone)
     */
    public Rehearser(Dialect dialect, MigrationTool tool, GateChecks checks) {
        this.dialect = dialect;
        this.tool = tool;
        this.checks = checks;
    }

    /**
     * What the rehearsal found, for reports and for the later gate steps.
     *
     * @param rehearsal the per-migration outcomes shown in reports
     * @param applied   the migrations that applied, each with the changes it made in the clone
     *                  (input to hazards and data probes)
     * @param findings  DW301/DW302 for a failing migration, DW304 for an unfaithful clone
     */
    public record Result(Rehearsal rehearsal, List<Applied> applied, List<Finding> findings) {
        public Result {
            applied = List.copyOf(applied);
            findings = List.copyOf(findings);
        }
    }

    /**
     * @param migration the pending migration
     * @param changes   {@code diff(before, after)} of the clone around it
     * @param vetting   which of the data probes' expressions for {@code changes} may run on production,
     *                  decided in the clone right after the migration applied ({@link GateChecks#vet})
     */
    public record Applied(Revision migration, List<Change> changes, GateChecks.Vetting vetting) {
        public Applied {
            changes = List.copyOf(changes);
            java.util.Objects.requireNonNull(vetting, "vetting");
        }
    }

    /**
     * @param server  a shadow server Driftwatch may write to (roles already created)
     * @param live    a production connection (the version table's rows are copied from it, read only)
     * @param run     the audit: live and expected models, drift findings, the filter and the graph
     * @param pending the pending revisions, in the tool's order
     * @param table   the version table
     * @param log     progress
     * @return the outcome; a failing migration is a result, not an exception
     * @throws SQLException when the shadow server itself cannot be used
     */
    public Result rehearse(ShadowServer server, Connection live, AuditRun run, List<Revision> pending,
                           VersionTableRef table, AuditListener log) throws SQLException {
        SchemaModel actual = run.actual();
        SchemaFilter filter = run.filter();
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Rehearsal.Step> steps = new ArrayList<>();
        List<Applied> applied = new ArrayList<>();
        if (!actual.notAudited().isEmpty()) {
            notes.add(actual.notAudited().size() + " live object(s) Driftwatch does not model (DW178) are not in the "
                    + "clone; a pending migration that uses them fails in the rehearsal only");
        }
        try (ShadowDatabase clone = server.createDatabase("dw_rehearsal")) {
            String where = clone.name() + " on " + server.description();
            SchemaModel before;
            try {
                before = cloneOf(clone, actual, live, table, filter);
            } catch (PlanExecutor.StatementFailedException | HistoryNotFoundException | HistoryUnreadableException e) {
                findings.add(new Finding(Rule.DW304, Rule.DW304.defaultSeverity(), ObjectRef.migration("rehearsal"),
                        null, null, (e instanceof PlanExecutor.StatementFailedException
                        ? "could not clone the live schema into the shadow, so no pending migration was rehearsed: "
                        : "pending migrations not rehearsed: ") + e.getMessage()));
                for (Revision m : pending) {
                    steps.add(notRun(m));
                }
                return new Result(new Rehearsal(where, steps, notes), applied, findings);
            }
            List<Change> residual = differ.diff(actual, before);
            if (!residual.isEmpty()) {
                findings.add(new Finding(Rule.DW304, Rule.DW304.defaultSeverity(), ObjectRef.migration("rehearsal"),
                        null, residual.size() + " difference(s)", "the shadow clone differs from the live schema in "
                        + residual.size() + " place(s), e.g. " + residual.get(0).getClass().getSimpleName() + " "
                        + residual.get(0).ref().qualifiedName() + "; the rehearsal may disagree with production"));
            }
            CatalogReader reader = dialect.reader(null, null);
            // the probes' form depends on production's version; the shadow's stands in when the model has none
            Integer modelMajor = actual.serverMajor();
            int liveMajor = modelMajor != null ? modelMajor : server.majorVersion();
            boolean stopped = false;
            for (int i = 0; i < pending.size(); i++) {
                Revision m = pending.get(i);
                if (stopped) {
                    steps.add(notRun(m));
                    continue;
                }
                log.step("rehearsing " + m.script());
                long t = System.nanoTime();
                try {
                    tool.replay(clone, run.graph(), List.of(m.id()), table);
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    SchemaModel after;
                    List<Change> changes;
                    GateChecks.Vetting vetting;
                    try (Connection c = clone.connect()) {
                        after = reader.read(c, filter);
                        changes = differ.diff(before, after);
                        // the clone holds production's schema plus this migration: the probes' expressions
                        // resolve here as they will on production, so decide now which of them may run there
                        vetting = checks.vet(c, m.script(), changes, actual, liveMajor);
                    }
                    applied.add(new Applied(m, changes, vetting));
                    steps.add(new Rehearsal.Step(m.script(), m.id(), m.description(), Rehearsal.Outcome.APPLIED,
                            ms, null, changes.stream().map(Rehearser::display).toList()));
                    before = after;
                    log.stepDone("rehearsing " + m.script(), ms);
                } catch (ReplayException e) {
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    log.stepDone("rehearsing " + m.script() + " (failed)", ms);
                    Explanation why = explain(server, run, live, table, pending.subList(0, i + 1), e);
                    Rehearsal.Failure failure = new Rehearsal.Failure(serverMessage(e), e.sqlState(), e.line(),
                            trimStatement(e.statement()), why.causedByDrift, why.explainedBy, why.fix);
                    steps.add(new Rehearsal.Step(m.script(), m.id(), m.description(), Rehearsal.Outcome.FAILED,
                            ms, failure, List.of()));
                    findings.add(failureFinding(m, failure));
                    stopped = true;
                }
            }
            return new Result(new Rehearsal(where, steps, notes), applied, findings);
        }
    }

    /** Creates {@code model} and the live version table in {@code db}; returns the clone as read back. */
    private SchemaModel cloneOf(ShadowDatabase db, SchemaModel model, Connection live, VersionTableRef table,
                                SchemaFilter filter) throws SQLException, PlanExecutor.StatementFailedException,
            HistoryNotFoundException, HistoryUnreadableException {
        try (Connection c = db.connect()) {
            PlanExecutor.createSchema(dialect, c, model);
            c.setAutoCommit(true);
            tool.copyVersionTable(live, table, c);
            return dialect.reader(null, null).read(c, filter);
        }
    }

    private record Explanation(boolean causedByDrift, List<String> explainedBy, String fix) {
    }

    /**
     * Runs {@code upTo} (the failing migration last) in a clone of the expected schema: when the last
     * one applies there, the live schema's drift broke it.
     */
    private Explanation explain(ShadowServer server, AuditRun run, Connection live, VersionTableRef table,
                                List<Revision> upTo, ReplayException failure) throws SQLException {
        Revision failing = upTo.get(upTo.size() - 1);
        List<String> explainedBy = matchDrift(failure, run.result().findings());
        SchemaModel expectedAfter;
        try (ShadowDatabase db = server.createDatabase("dw_rehearsal_expected")) {
            SchemaModel before;
            try {
                before = cloneOf(db, run.expected(), live, table, run.filter());
                tool.replay(db, run.graph(), upTo.stream().map(Revision::id).toList(), table);
            } catch (PlanExecutor.StatementFailedException | ReplayException | HistoryNotFoundException
                     | HistoryUnreadableException e) {
                String fix = "fix " + failing.script() + ": it fails on the migrations' own schema too"
                        + (e instanceof ReplayException r && r.script() != null && !failing.script().equals(r.script())
                        ? " (or an earlier pending migration does: " + r.script() + ")" : "")
                        + ", so it would fail in every environment";
                return new Explanation(false, explainedBy, fix);
            }
            try (Connection c = db.connect()) {
                expectedAfter = dialect.reader(null, null).read(c, run.filter());
            }
            List<Change> made = differ.diff(before, expectedAfter);
            if (alreadyApplied(made, run.actual(), expectedAfter)) {
                return new Explanation(true, explainedBy, "the live schema already has everything "
                        + failing.script() + " creates (applied by hand?): after review, record it as applied with "
                        + "driftwatch stamp instead of running it again");
            }
        }
        return new Explanation(true, explainedBy, "move production back to the migrations' schema with driftwatch "
                + "bridge, then deploy; or make " + failing.script() + " tolerate the drift (IF NOT EXISTS / IF EXISTS)");
    }

    /**
     * @return true when every object the migration touches (on the expected clone) already looks in
     *         the live model as it does after the migration
     */
    private boolean alreadyApplied(List<Change> made, SchemaModel actual, SchemaModel expectedAfter) {
        if (made.isEmpty()) {
            return false;
        }
        Set<String> touched = new HashSet<>();
        for (Change c : made) {
            touched.add(owner(c.ref()));
        }
        for (Change c : differ.diff(actual, expectedAfter)) {
            if (touched.contains(owner(c.ref()))) {
                return false;
            }
        }
        return true;
    }

    /** @return {@code schema.relation} of a relation's child, or {@code kind schema.name} of anything else */
    private static String owner(ObjectRef r) {
        return r.parent() != null ? r.schema() + "\u0000" + r.parent() : r.schema() + "\u0000" + r.name();
    }

    /**
     * Drift findings ({@code DW1xx}) whose object name appears quoted in the server's message, or as a
     * word in the failing statement; those naming both the object and its relation first.
     */
    static List<String> matchDrift(ReplayException failure, List<Finding> drift) {
        Set<String> quoted = new HashSet<>();
        Matcher m = QUOTED.matcher(failure.getMessage() == null ? "" : failure.getMessage());
        while (m.find()) {
            quoted.add(m.group(1).replace("\"\"", "\""));
        }
        String statement = failure.statement() == null ? "" : failure.statement().toLowerCase(Locale.ROOT);
        Map<Integer, Set<String>> byScore = new HashMap<>();
        for (Finding f : drift) {
            if (!f.rule().id().startsWith("DW1")) {
                continue;
            }
            ObjectRef r = f.object();
            int score = 0;
            if (quoted.contains(r.name())) {
                score += 4;
            } else if (mentions(statement, r.name())) {
                score += 2;
            }
            if (score > 0 && r.parent() != null && (quoted.contains(r.parent()) || mentions(statement, r.parent()))) {
                score += 1;
            }
            if (score > 0) {
                byScore.computeIfAbsent(score, k -> new LinkedHashSet<>())
                        .add(f.rule().id() + " " + f.rule().slug() + " " + r.qualifiedName());
            }
        }
        return byScore.keySet().stream().max(Integer::compare).map(k -> List.copyOf(byScore.get(k))).orElse(List.of());
    }

    private static boolean mentions(String lowerStatement, String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}_$])" + Pattern.quote(name.toLowerCase(Locale.ROOT))
                + "(?![\\p{L}\\p{N}_$])").matcher(lowerStatement).find();
    }

    private static Finding failureFinding(Revision m, Rehearsal.Failure f) {
        Rule rule = f.causedByDrift() ? Rule.DW302 : Rule.DW301;
        String where = f.line() != null ? " (line " + f.line() + ")" : "";
        String because = f.causedByDrift() ? "; it applies on the migrations' own schema, so drift breaks it"
                + (f.explainedBy().isEmpty() ? "" : ": " + String.join(", ", f.explainedBy()))
                : f.explainedBy().isEmpty() ? "" : "; related drift: " + String.join(", ", f.explainedBy());
        String message = m.script() + " fails on a clone of production" + where + ": " + f.message() + because
                + (f.fix() == null ? "" : "; next: " + f.fix());
        return new Finding(rule, rule.defaultSeverity(), ObjectRef.migration(m.id()), null, f.message(), message);
    }

    private static Rehearsal.Step notRun(Revision m) {
        return new Rehearsal.Step(m.script(), m.id(), m.description(), Rehearsal.Outcome.NOT_RUN, 0, null,
                List.of());
    }

    /** @return the server's part of a replay failure: {@code ERROR: relation "x" already exists (SQLState 42P07)} */
    private static String serverMessage(ReplayException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        int i = msg.indexOf(" failed to replay: ");
        return i >= 0 ? msg.substring(i + " failed to replay: ".length()) : msg;
    }

    private static String trimStatement(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.length() <= STATEMENT_CHARS ? t : t.substring(0, STATEMENT_CHARS) + "…";
    }

    /** @return e.g. {@code AddIndex public.orders.orders_status_idx} */
    static String display(Change c) {
        return c.getClass().getSimpleName() + " " + c.ref().qualifiedName();
    }
}
