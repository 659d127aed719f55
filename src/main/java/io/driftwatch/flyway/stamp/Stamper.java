package io.driftwatch.flyway.stamp;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.audit.Auditor;
import io.driftwatch.postgres.DatabaseErrors;
import io.driftwatch.base.ExitCode;
import io.driftwatch.diff.Change;
import io.driftwatch.flyway.HistoryChecker;
import io.driftwatch.flyway.FlywayHistoryReport;
import io.driftwatch.flyway.MigrationStatus;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.flyway.FlywayHistoryReader;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.flyway.Replayer;
import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.tool.VersionTableRef;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.flyway.FlywayHistoryReader;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.flyway.Replayer;
import io.driftwatch.postgres.ReadSession;
import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.model.Identifiers;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.flyway.Versions;
import io.driftwatch.policy.Classifier;
import io.driftwatch.policy.Finding;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.postgres.shadow.ShadowProviders;
import io.driftwatch.dialect.ShadowUnavailableException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code driftwatch stamp} without the CLI: audit, prove which unrecorded scripts are already in the
 * schema, plan the stamp ({@link StampPlanner}), verify it on a copy ({@link StampVerifier}). The target is
 * only read (the audit's READ ONLY reads, then {@link HistoryHash#read} and {@link FlywayHistoryReader});
 * nothing is written to it.
 *
 * <p>Which unrecorded scripts are present: the candidates are the local scripts the history does not record as
 * applied (state {@code pending}, {@code ignored} or only {@code failed}), in replay order (versioned by version,
 * then repeatables). For k = all versioned candidates down to 1 (0 when there are repeatable candidates),
 * the applied scripts plus the first k versioned candidates plus every repeatable candidate are replayed
 * into a fresh shadow database and its catalog is diffed with the live one; the first k with no difference
 * wins, shortened while a shorter prefix (down to none) matches too: a script that changes no schema object
 * (data only) cannot be proven to have run, so it stays pending. With none, the audit's own expected model
 * must match the live schema (nothing present);
 * otherwise the stamp is refused: {@code schema does not match the migrations (N differences, e.g. DW101 x);
 * a stamp cannot fix schema drift: run driftwatch bridge}. When the schema matches, repeatables whose script
 * changed after they were applied ({@code OUTDATED}) are present in their current form and are recorded again.
 *
 * <p>Before planning, the version table is read again and hashed both by the server and in Java: the two
 * hashes must agree and the history check must equal the audit's, or the stamp is refused as
 * {@code <table> changed during the audit; re-run driftwatch stamp}.
 */
public final class Stamper {

    private final SchemaDiffer differ = new SchemaDiffer();

    /** Creates a stamper; it holds no state between runs. */
    public Stamper() {
    }

    /**
     * @param options  audit options (target, migrations, shadow, ...)
     * @param request  stamp flags
     * @param listener progress and notes
     * @return the plan (possibly empty) with its verification
     * @throws AuditException         exit 2 (configuration, {@code --baseline} on a non-empty table), 3 (a
     *                                database unreachable), 4 (the scripts do not replay)
     * @throws StampRefusedException  exit 1: schema drift, a baseline above what is present, the table changed, or
     *                                rows of the table leave what is applied unknown
     */
    public StampOutcome stamp(AuditOptions options, StampRequest request, AuditListener listener)
            throws AuditException, StampRefusedException {
        if (!(options.tool() instanceof FlywayTool tool)) {
            throw new AuditException(ExitCode.USAGE, "this stamp is for Flyway's version table; the project is "
                    + (options.tool() == null ? "not given" : options.tool().name()), null);
        }
        AuditRun run = new Auditor().runFull(options, listener);
        if (!run.schemaCompared()) {
            throw new StampRefusedException("no stamp: " + run.result().expected().notCompared()
                    + "; correct or delete those rows first (see the DW211 findings of driftwatch audit)");
        }
        MigrationSet scripts = FlywayTool.toScripts(run.graph());
        String schema = run.historySchema();
        String table = run.historyTable();
        String display = Identifiers.qualified(schema, table);

        AppliedHistory history;
        String installedBy;
        int major;
        try (Connection c = options.target().connect()) {
            try (ReadSession s = ReadSession.begin(c, options.lockTimeout(), options.statementTimeout())) {
                installedBy = request.installedBy() != null ? request.installedBy() : s.facts().currentUser();
                major = s.facts().major();
            }
            String serverHash = HistoryHash.read(c, schema, table);
            history = new FlywayHistoryReader().read(c, schema, table);
            String javaHash = HistoryHash.of(history);
            if (!serverHash.equals(javaHash)) {
                throw new StampRefusedException(display + " changed during the audit (hash " + serverHash
                        + " before reading it, " + javaHash + " as read); re-run driftwatch stamp");
            }
        } catch (HistoryNotFoundException | HistoryUnreadableException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading " + display + " in " + options.target().display(), e);
        }
        FlywayHistoryReport report = new HistoryChecker().check(scripts, history);
        io.driftwatch.tool.HistoryReport neutral = FlywayTool.report(report, new VersionTableRef(schema, table));
        if (!neutral.state().equals(run.result().history()) || !neutral.toReplay().equals(run.toReplay())) {
            throw new StampRefusedException(display + " changed during the audit; re-run driftwatch stamp");
        }

        StampSettings settings;
        try {
            settings = new StampSettings(installedBy, request.forgetMissing(), request.baselineVersion());
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
        List<Change> drift = differ.diff(run.expected(), run.actual());
        List<ResolvedMigration> candidates = candidates(report);

        ShadowOptions shadowOptions = options.shadow().forTarget(major, options.target());
        try (ShadowServer server = openShadow(shadowOptions, listener)) {
            List<ResolvedMigration> present = List.of();
            if (!candidates.isEmpty()) {
                present = presentPrefix(server, options, tool, run, candidates, drift.isEmpty(), listener);
            }
            if (present.isEmpty() && !drift.isEmpty()) {
                throw new StampRefusedException(driftMessage(drift));
            }
            Set<String> presentScripts = new LinkedHashSet<>();
            present.forEach(m -> presentScripts.add(m.script()));
            report.findings().stream().filter(f -> f.kind() == io.driftwatch.flyway.HistoryFinding.Kind.OUTDATED)
                    .forEach(f -> presentScripts.add(f.script()));
            StampPlan plan;
            try {
                plan = new StampPlanner().plan(scripts, history, report, presentScripts, settings);
            } catch (IllegalArgumentException e) {
                throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
            }
            StampVerification verification = null;
            if (!plan.isEmpty() && request.verify()) {
                listener.step("verifying the stamp on a copy of " + display);
                long t = System.nanoTime();
                try {
                    verification = new StampVerifier().verify(server, history, scripts, report, plan, settings);
                } catch (SQLException e) {
                    throw new AuditException(ExitCode.UNREACHABLE, "verifying the stamp on " + server.description()
                            + " failed: " + DatabaseErrors.firstLine(e.getMessage()), e);
                }
                listener.stepDone("verifying the stamp on a copy of " + display, (System.nanoTime() - t) / 1_000_000);
            }
            return new StampOutcome(run, plan, new ArrayList<>(presentScripts), installedBy, verification);
        }
    }

    /**
     * @return local scripts the history does not record as applied: every status of their version (repeatables:
     *         description) is {@code pending}, {@code ignored} or {@code failed}; in replay order
     */
    static List<ResolvedMigration> candidates(FlywayHistoryReport report) {
        Map<String, Boolean> onlyUnapplied = new HashMap<>();
        for (MigrationStatus s : report.statuses()) {
            String key = s.version() != null && Versions.isValid(s.version()) ? "V" + Versions.normalize(s.version())
                    : s.version() == null ? "R " + s.description() : null;
            if (key == null) {
                continue;
            }
            boolean unapplied = s.state().equals("pending") || s.state().equals("ignored") || s.state().equals("failed");
            onlyUnapplied.merge(key, unapplied, Boolean::logicalAnd);
        }
        List<ResolvedMigration> out = new ArrayList<>();
        for (ResolvedMigration m : report.allScripts()) {
            String key = m.repeatable() ? "R " + m.description() : "V" + Versions.normalize(m.version());
            if (onlyUnapplied.getOrDefault(key, false) && !report.toReplay().contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * @return the candidates proven present: the longest prefix of the versioned candidates (with every
     *         repeatable candidate) whose replay on top of the applied scripts matches the live schema, shortened
     *         while a shorter prefix matches too (a data-only script cannot be proven to have run, so it stays
     *         pending); a replay that fails counts as no match
     */
    private List<ResolvedMigration> presentPrefix(ShadowServer server, AuditOptions options, FlywayTool tool, AuditRun run,
                                                  List<ResolvedMigration> candidates, boolean auditMatches,
                                                  AuditListener listener) throws AuditException {
        List<ResolvedMigration> versioned = candidates.stream().filter(m -> !m.repeatable()).toList();
        List<ResolvedMigration> repeatables = candidates.stream().filter(ResolvedMigration::repeatable).toList();
        List<ResolvedMigration> found = null;
        for (int k = versioned.size(); k >= (repeatables.isEmpty() ? 1 : 0); k--) {
            List<ResolvedMigration> attempt = new ArrayList<>(versioned.subList(0, k));
            attempt.addAll(repeatables);
            if (matches(server, options, tool, run, attempt, listener)) {
                found = attempt;
            } else if (found != null) {
                return List.copyOf(found);
            }
        }
        if (found == null || auditMatches) {
            return List.of();
        }
        return List.copyOf(found);
    }

    private boolean matches(ShadowServer server, AuditOptions options, FlywayTool tool, AuditRun run,
                            List<ResolvedMigration> prefix, AuditListener listener) throws AuditException {
        List<ResolvedMigration> scripts = new ArrayList<>(FlywayTool.resolve(run.graph(), run.toReplay()));
        scripts.addAll(prefix);
        String what = "checking whether " + names(prefix) + " " + (prefix.size() == 1 ? "is" : "are")
                + " already in the database";
        listener.step(what);
        long t = System.nanoTime();
        SchemaModel expected;
        try {
            expected = replayAndRead(server, scripts, options, tool, run);
        } catch (ReplayException e) {
            listener.stepDone(what + ": no, " + e.getMessage(), (System.nanoTime() - t) / 1_000_000);
            return false;
        }
        listener.stepDone(what, (System.nanoTime() - t) / 1_000_000);
        return differ.diff(expected, run.actual()).isEmpty();
    }

    private static String names(List<ResolvedMigration> scripts) {
        if (scripts.size() <= 3) {
            return String.join(", ", scripts.stream().map(ResolvedMigration::displayName).toList());
        }
        return scripts.get(0).displayName() + " .. " + scripts.get(scripts.size() - 1).displayName();
    }

    private static SchemaModel replayAndRead(ShadowServer server, List<ResolvedMigration> scripts,
                                             AuditOptions options, FlywayTool tool, AuditRun run)
            throws AuditException, ReplayException {
        try (ShadowDatabase shadow = server.createDatabase("dw_shadow")) {
            new Replayer().replay(shadow, scripts, tool.replaySettings(new VersionTableRef(run.historySchema(),
                    run.historyTable())));
            try (Connection c = shadow.connect()) {
                return new PostgresCatalogReader(options.lockTimeout(), options.statementTimeout()).read(c, run.filter());
            }
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "shadow database on " + server.description() + " failed: "
                    + DatabaseErrors.firstLine(e.getMessage()), e);
        }
    }

    private static ShadowServer openShadow(ShadowOptions options, AuditListener log) throws AuditException {
        try {
            return ShadowProviders.open(options, line -> { });
        } catch (ShadowUnavailableException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "no shadow database available: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /** @return {@code schema does not match the migrations (N differences, e.g. DW101 x); ... run driftwatch bridge} */
    static String driftMessage(List<Change> drift) {
        List<Finding> findings = new ArrayList<>(new Classifier().drift(drift));
        findings.sort(Classifier.ORDER);
        int n = findings.isEmpty() ? drift.size() : findings.size();
        String example = findings.isEmpty() ? "" : ", e.g. " + findings.get(0).rule().id() + " "
                + findings.get(0).object().qualifiedName();
        return "schema does not match the migrations (" + n + (n == 1 ? " difference" : " differences") + example
                + "); a stamp cannot fix schema drift: run driftwatch bridge";
    }
}
