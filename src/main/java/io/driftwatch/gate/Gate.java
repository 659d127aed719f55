package io.driftwatch.gate;

import io.driftwatch.audit.AuditOptions;
import io.driftwatch.audit.Auditor;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.GateChecks;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.diff.Change;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Revision;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.tool.VersionTableRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code driftwatch gate}: answers a deploy pipeline's question "will the pending migrations succeed
 * on production, and what will they do to it?" without writing to production. Steps, in order:
 * <ol>
 *   <li>readiness: connect, retrying with backoff for up to {@link Options#readyWait()} ({@link Dialect#awaitReady});</li>
 *   <li>in-flight check: the tool's lock held ({@link MigrationTool#inFlight}) or DDL running on the audited
 *       schemas ({@link Dialect#ddlInProgress}) stops the gate with exit 5 unless {@link Options#allowConcurrent()};</li>
 *   <li>the audit, as {@code driftwatch audit} runs it ({@link Auditor});</li>
 *   <li>the rehearsal of the pending migrations in a shadow clone ({@link Rehearser});</li>
 *   <li>hazards of what each applied migration changed, at production's real sizes
 *       ({@link GateChecks#hazards});</li>
 *   <li>read-only data probes against production for those changes ({@link GateChecks#probes}), unless
 *       {@link Options#dataProbes()} is off.</li>
 * </ol>
 * Everything ends up in one {@link AuditResult} (findings merged, {@link Rehearsal} attached), so every
 * reporter shows the gate as it shows an audit.
 */
public final class Gate {

    /** {@code UPDATE}/{@code DELETE}/{@code INSERT INTO}/{@code TRUNCATE}: statements that change rows. */
    private static final Pattern DATA_CHANGE = Pattern.compile(
            "(?is)\\b(update|delete\\s+from|insert\\s+into|truncate(\\s+table)?)\\s+(only\\s+)?([^\\s(;]+)");

    /**
     * @param readyWait       how long to retry the first connection ({@code --wait}); zero: one attempt
     * @param allowConcurrent go on when another migration is running ({@code --allow-concurrent}); its
     *                        activity is then reported as {@code DW303} warnings
     * @param dataProbes      run the read-only data probes ({@code --no-data-probes} turns them off)
     * @param checks          the engine's hazard and probe steps, with their thresholds and bounds
     */
    public record Options(Duration readyWait, boolean allowConcurrent, boolean dataProbes, GateChecks checks) {
    }

    /**
     * @param result the merged result (audit + gate findings + rehearsal)
     * @param audit  the audit behind it
     */
    public record Run(AuditResult result, AuditRun audit) {
    }

    /**
     * @param audit    validated audit options; migrations are required (the pending ones are rehearsed)
     * @param options  the gate's own options
     * @param listener progress and notes
     * @return the gate's result
     * @throws AuditException exit 2 for usage errors, 3 when the database is not ready in time or the
     *         shadow is unavailable, 4 when the applied migrations cannot be replayed, 5 when another
     *         migration is running (without {@link Options#allowConcurrent()})
     */
    public Run run(AuditOptions audit, Options options, AuditListener listener) throws AuditException {
        long t0 = System.nanoTime();
        MigrationTool tool = audit.tool();
        if (tool == null || tool.locations().isEmpty()) {
            throw new AuditException(ExitCode.USAGE, "driftwatch gate needs the migrations it is to rehearse: "
                    + "pass --migrations DIR, --flyway-config flyway.toml or --alembic-config alembic.ini", null);
        }
        Dialect dialect = audit.dialect();
        DatabaseTarget target = audit.target();
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Connection live = dialect.awaitReady(target, options.readyWait(), listener::note)) {
            var facts = dialect.facts(live);
            VersionTableRef table = tool.versionTable(facts.currentSchema());
            List<String> running = inFlight(dialect, live, tool, table, audit, target);
            if (!running.isEmpty()) {
                if (!options.allowConcurrent()) {
                    throw new AuditException(ExitCode.BUSY, "another migration is running on " + target.display()
                            + ": " + running.get(0) + (running.size() > 1 ? " (and " + (running.size() - 1)
                            + " more)" : "") + "; wait for it to finish, or pass --allow-concurrent", null);
                }
                for (String line : running) {
                    findings.add(new Finding(Rule.DW303, Severity.WARNING, ObjectRef.migration("in flight"), null,
                            null, line + " (gate run with --allow-concurrent)"));
                }
            }

            try (ShadowServer shadow = openShadow(dialect, facts.major(), audit, listener)) {
                return finish(t0, live, shadow, audit, options, listener, findings, notes);
            }
        } catch (SQLException e) {
            throw dialect.queryFailure("talking to " + target.display(), e);
        }
    }

    /** Steps 3 to 6 on one shadow server. */
    private static Run finish(long t0, Connection live, ShadowServer shadow, AuditOptions audit, Options options,
                              AuditListener listener, List<Finding> findings, List<String> notes)
            throws AuditException {
        Dialect dialect = audit.dialect();
        DatabaseTarget target = audit.target();
        AuditRun run = new Auditor().runFull(audit, listener, shadow);
        Map<String, Revision> byId = run.graph().byId();
        List<Revision> pending = run.pending().stream().map(byId::get).toList(); // in the tool's order
        Rehearser.Result rehearsal = rehearse(live, shadow, run, audit, options.checks(), pending, listener, notes,
                findings);
        if (rehearsal != null) {
            findings.addAll(rehearsal.findings());
            Map<Rehearser.Applied, String> sql = new LinkedHashMap<>();
            for (Rehearser.Applied a : rehearsal.applied()) {
                sql.put(a, read(a.migration()));
                try {
                    findings.addAll(options.checks().hazards(live, a.migration().script(), sql.get(a), a.changes()));
                } catch (SQLException e) {
                    throw dialect.queryFailure("reading table sizes on " + target.display(), e);
                }
            }
            if (options.dataProbes()) {
                findings.addAll(probes(live, run, sql, options, dialect, target));
            } else if (!rehearsal.applied().isEmpty()) {
                notes.add("data probes skipped (--no-data-probes)");
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Rehearsal r = rehearsal != null ? rehearsal.rehearsal()
                : new Rehearsal("none", List.of(), List.of());
        return new Run(run.result().withGate(r, findings, notes, millis), run);
    }

    /** One shadow server for the audit's replay and the rehearsal, of the target's major version. */
    private static ShadowServer openShadow(Dialect dialect, int major, AuditOptions audit, AuditListener listener)
            throws AuditException {
        ShadowOptions options = new ShadowOptions(audit.shadow().kind(), audit.shadow().shadowUrl(), major,
                audit.target());
        listener.step("starting shadow database");
        long t = System.nanoTime();
        ShadowServer server = Auditor.openShadow(dialect, options, listener);
        listener.stepDone("starting shadow database", (System.nanoTime() - t) / 1_000_000);
        return server;
    }

    /** The tool's own lock or marker first, then DDL running on the audited schemas. */
    private static List<String> inFlight(Dialect dialect, Connection live, MigrationTool tool, VersionTableRef table,
                                         AuditOptions audit, DatabaseTarget target) throws AuditException {
        try {
            List<String> lines = new ArrayList<>(tool.inFlight(live, table));
            lines.addAll(dialect.ddlInProgress(live, audit.schemas()));
            return lines;
        } catch (SQLException e) {
            throw dialect.queryFailure("checking for running migrations on " + target.display(), e);
        }
    }

    /**
     * Step 4; null when there was nothing to rehearse with (the version table's rows leave what is
     * applied unknown).
     */
    private static Rehearser.Result rehearse(Connection live, ShadowServer server, AuditRun run, AuditOptions audit,
                                             GateChecks checks, List<Revision> pending, AuditListener listener,
                                             List<String> notes, List<Finding> findings) throws AuditException {
        if (!run.schemaCompared()) {
            findings.add(new Finding(Rule.DW304, Rule.DW304.defaultSeverity(), ObjectRef.migration("rehearsal"),
                    null, null, "pending migrations not rehearsed: " + run.result().expected().notCompared()));
            return null;
        }
        if (pending.isEmpty()) {
            notes.add("rehearsal: no pending migration; the deploy's " + audit.tool().name()
                    + " upgrade has nothing to do");
            return new Rehearser.Result(new Rehearsal("none (nothing pending)", List.of(), List.of()), List.of(),
                    List.of());
        }
        try {
            listener.step("rehearsing " + pending.size() + " pending migration(s)");
            long t = System.nanoTime();
            Rehearser.Result r = new Rehearser(audit.dialect(), audit.tool(), checks).rehearse(server, live, run, pending,
                    new VersionTableRef(run.historySchema(), run.historyTable()), listener);
            listener.stepDone("rehearsing " + pending.size() + " pending migration(s)",
                    (System.nanoTime() - t) / 1_000_000);
            return r;
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "the shadow database failed during the rehearsal: "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    /**
     * Step 6. A probe finding on a table whose rows this or an earlier pending migration changes
     * ({@code UPDATE}, {@code DELETE}, {@code INSERT}, {@code TRUNCATE}) may be fixed by that
     * statement (a backfill before {@code SET NOT NULL}): it is lowered to a warning and says so.
     */
    private static List<Finding> probes(Connection live, AuditRun run, Map<Rehearser.Applied, String> applied,
                                        Options options, Dialect dialect, DatabaseTarget target)
            throws AuditException {
        List<Finding> out = new ArrayList<>();
        StringBuilder dataSoFar = new StringBuilder();
        for (Map.Entry<Rehearser.Applied, String> entry : applied.entrySet()) {
            Rehearser.Applied a = entry.getKey();
            dataSoFar.append(entry.getValue()).append('\n');
            List<Finding> found;
            try {
                found = options.checks().probes(live, a.migration().script(), a.changes(), run.actual(), a.vetting());
            } catch (SQLException e) {
                throw dialect.queryFailure("probing live data on " + target.display(), e);
            }
            for (Finding f : found) {
                List<String> tables = new ArrayList<>();
                tables.add(f.object().parent() != null ? f.object().parent() : f.object().name());
                String parent = referencedTable(a.changes(), f);
                if (parent != null) {
                    tables.add(parent);
                }
                String touched = tables.stream().filter(t -> changesRowsOf(dataSoFar, t)).findFirst().orElse(null);
                if (f.severity() == Severity.ERROR && touched != null) {
                    out.add(new Finding(f.rule(), Severity.WARNING, f.object(), f.expected(), f.actual(),
                            f.message() + " (a pending migration changes rows of " + touched
                                    + " first: check that it fixes them)"));
                } else {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** @return the unquoted name of the table a foreign key finding's constraint references, or null */
    private static String referencedTable(List<Change> changes, Finding f) {
        for (Change c : changes) {
            if (c instanceof Change.AddConstraint ac && ac.constraint().referencedTable() != null
                    && ac.ref().equals(f.object())) {
                String ref = ac.constraint().referencedTable();
                int dot = ref.lastIndexOf('.');
                return (dot >= 0 ? ref.substring(dot + 1) : ref).replace("\"", "");
            }
        }
        return null;
    }

    /** @return true when some statement in {@code sql} changes rows of a table named {@code table} */
    static boolean changesRowsOf(CharSequence sql, String table) {
        var m = DATA_CHANGE.matcher(sql);
        while (m.find()) {
            String name = m.group(4);
            int dot = name.lastIndexOf('.');
            String last = (dot >= 0 ? name.substring(dot + 1) : name).replace("\"", "");
            if (last.equalsIgnoreCase(table)) {
                return true;
            }
        }
        return false;
    }

    private static String read(Revision m) throws AuditException {
        if (m.file() == null) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(Path.of(m.file())), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditException(ExitCode.USAGE, "cannot read " + m.file() + ": " + e.getMessage(), e);
        }
    }
}
