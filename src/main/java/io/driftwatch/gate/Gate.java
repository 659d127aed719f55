package io.driftwatch.gate;

import io.driftwatch.audit.AuditException;
import io.driftwatch.audit.AuditListener;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.audit.AuditResult;
import io.driftwatch.audit.AuditRun;
import io.driftwatch.audit.Auditor;
import io.driftwatch.audit.DatabaseErrors;
import io.driftwatch.audit.ExitCode;
import io.driftwatch.audit.Rehearsal;
import io.driftwatch.diff.Change;
import io.driftwatch.introspect.ConnectionSpec;
import io.driftwatch.migrate.FlywayHistoryReader;
import io.driftwatch.migrate.HistoryNotFoundException;
import io.driftwatch.migrate.HistoryUnreadableException;
import io.driftwatch.migrate.ReplaySettings;
import io.driftwatch.model.AppliedHistory;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.ResolvedMigration;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.shadow.PostgresServer;
import io.driftwatch.shadow.ShadowOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 *   <li>readiness: connect, retrying with backoff for up to {@link Options#readyWait()} ({@link Readiness});</li>
 *   <li>in-flight check: Flyway's lock held or DDL running on the audited schemas stops the gate
 *       with exit 5 ({@link InFlightCheck}) unless {@link Options#allowConcurrent()};</li>
 *   <li>the audit, as {@code driftwatch audit} runs it ({@link Auditor});</li>
 *   <li>the rehearsal of the pending migrations in a shadow clone ({@link Rehearser});</li>
 *   <li>hazards of what each applied migration changed, at production's real sizes
 *       ({@link RelationSizes}, {@link MigrationHazards});</li>
 *   <li>read-only data probes against production for those changes ({@link DataProbes}), unless
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
     * @param thresholds      what counts as a large table for hazards
     * @param probes          bounds of the data probes
     */
    public record Options(Duration readyWait, boolean allowConcurrent, boolean dataProbes,
                          MigrationHazards.Thresholds thresholds, ProbeSettings probes) {
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
        if (audit.migrations().isEmpty()) {
            throw new AuditException(ExitCode.USAGE, "driftwatch gate needs the migrations it is to rehearse: "
                    + "pass --migrations DIR or --flyway-config flyway.toml", null);
        }
        ConnectionSpec target = audit.target();
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Connection live = Readiness.await(target, options.readyWait(), listener::note)) {
            String historySchema = historySchema(live, audit, target);
            List<String> running = inFlight(live, audit, historySchema, target);
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

            try (PostgresServer shadow = openShadow(live, audit, listener)) {
                return finish(t0, live, shadow, audit, options, listener, findings, notes);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("talking to " + target.display(), e);
        }
    }

    /** Steps 3 to 6 on one shadow server. */
    private static Run finish(long t0, Connection live, PostgresServer shadow, AuditOptions audit, Options options,
                              AuditListener listener, List<Finding> findings, List<String> notes)
            throws AuditException {
        ConnectionSpec target = audit.target();
        AuditRun run = new Auditor().runFull(audit, listener, shadow);
        List<ResolvedMigration> pending = Rehearser.pending(run.history());
        Rehearser.Result rehearsal = rehearse(live, shadow, run, audit, pending, listener, notes, findings);
        if (rehearsal != null) {
            findings.addAll(rehearsal.findings());
            Map<Rehearser.Applied, String> sql = new LinkedHashMap<>();
            for (Rehearser.Applied a : rehearsal.applied()) {
                sql.put(a, read(a.migration()));
                findings.addAll(hazards(live, a, sql.get(a), options, target));
            }
            if (options.dataProbes()) {
                findings.addAll(probes(live, run, sql, options, target));
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
    private static PostgresServer openShadow(Connection live, AuditOptions audit, AuditListener listener)
            throws AuditException {
        int major;
        try (Statement s = live.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            major = rs.getInt(1);
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading the server version of " + audit.target().display(), e);
        }
        ShadowOptions options = new ShadowOptions(audit.shadow().kind(), audit.shadow().shadowUrl(), major,
                audit.target());
        listener.step("starting shadow database");
        long t = System.nanoTime();
        PostgresServer server = Auditor.openShadow(options, listener);
        listener.stepDone("starting shadow database", (System.nanoTime() - t) / 1_000_000);
        return server;
    }

    private static String historySchema(Connection live, AuditOptions audit, ConnectionSpec target)
            throws AuditException {
        if (audit.historySchema() != null) {
            return audit.historySchema();
        }
        if (!audit.flywaySchemas().isEmpty()) {
            return audit.flywaySchemas().get(0);
        }
        try (Statement s = live.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1) == null ? "public" : rs.getString(1);
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading the current schema of " + target.display(), e);
        }
    }

    private static List<String> inFlight(Connection live, AuditOptions audit, String historySchema,
                                         ConnectionSpec target) throws AuditException {
        try {
            return InFlightCheck.running(live, historySchema, audit.historyTable(), audit.schemas());
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("checking for running migrations on " + target.display(), e);
        }
    }

    /**
     * Step 4; null when there was nothing to rehearse with (the version table could not be read, or its rows
     * leave what is applied unknown).
     */
    private static Rehearser.Result rehearse(Connection live, PostgresServer server, AuditRun run, AuditOptions audit,
                                             List<ResolvedMigration> pending, AuditListener listener,
                                             List<String> notes, List<Finding> findings) throws AuditException {
        if (!run.schemaCompared()) {
            findings.add(new Finding(Rule.DW304, Rule.DW304.defaultSeverity(), ObjectRef.migration("rehearsal"),
                    null, null, "pending migrations not rehearsed: " + run.history().replayRefused()));
            return null;
        }
        if (pending.isEmpty()) {
            notes.add("rehearsal: no pending migration; the deploy's flyway migrate has nothing to do");
            return new Rehearser.Result(new Rehearsal("none (nothing pending)", List.of(), List.of()), List.of(),
                    List.of());
        }
        AppliedHistory history;
        try {
            history = new FlywayHistoryReader().read(live, run.historySchema(), run.historyTable());
        } catch (HistoryNotFoundException | HistoryUnreadableException e) {
            findings.add(new Finding(Rule.DW304, Rule.DW304.defaultSeverity(), ObjectRef.migration("rehearsal"),
                    null, null, "pending migrations not rehearsed: " + e.getMessage()));
            return null;
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading " + run.historySchema() + "." + run.historyTable(), e);
        }
        try {
            listener.step("rehearsing " + pending.size() + " pending migration(s)");
            long t = System.nanoTime();
            Rehearser.Result r = new Rehearser().rehearse(server, run.actual(), run.expected(), history, pending,
                    run.result().findings(), new ReplaySettings(audit.flywaySchemas(), run.historySchema(),
                            run.historyTable(), audit.placeholders()), run.filter(), listener);
            listener.stepDone("rehearsing " + pending.size() + " pending migration(s)",
                    (System.nanoTime() - t) / 1_000_000);
            return r;
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "the shadow database failed during the rehearsal: "
                    + DatabaseErrors.firstLine(e.getMessage()), e);
        }
    }

    private static List<Finding> hazards(Connection live, Rehearser.Applied a, String sql, Options options,
                                         ConnectionSpec target) throws AuditException {
        try {
            var sizes = RelationSizes.read(live, MigrationHazards.tablesTouched(a.changes()),
                    options.thresholds().largeRows());
            return MigrationHazards.of(a.migration().script(), sql, a.changes(), sizes, options.thresholds());
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading table sizes on " + target.display(), e);
        }
    }

    /**
     * Step 6. A probe finding on a table whose rows this or an earlier pending migration changes
     * ({@code UPDATE}, {@code DELETE}, {@code INSERT}, {@code TRUNCATE}) may be fixed by that
     * statement (a backfill before {@code SET NOT NULL}): it is lowered to a warning and says so.
     */
    private static List<Finding> probes(Connection live, AuditRun run, Map<Rehearser.Applied, String> applied,
                                        Options options, ConnectionSpec target) throws AuditException {
        List<Finding> out = new ArrayList<>();
        StringBuilder dataSoFar = new StringBuilder();
        for (Map.Entry<Rehearser.Applied, String> entry : applied.entrySet()) {
            Rehearser.Applied a = entry.getKey();
            dataSoFar.append(entry.getValue()).append('\n');
            List<Finding> found;
            try {
                found = DataProbes.probe(live, a.migration().script(), a.changes(), run.actual(), options.probes());
            } catch (SQLException e) {
                throw DatabaseErrors.queryFailure("probing live data on " + target.display(), e);
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

    private static String read(ResolvedMigration m) throws AuditException {
        try {
            return Files.readString(Path.of(m.physicalPath()));
        } catch (IOException e) {
            throw new AuditException(ExitCode.USAGE, "cannot read " + m.physicalPath() + ": " + e.getMessage(), e);
        }
    }
}
