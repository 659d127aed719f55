package io.driftwatch.audit;

import io.driftwatch.Version;
import io.driftwatch.cache.ModelCache;
import io.driftwatch.cache.ReplayKey;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.HistoryChecker;
import io.driftwatch.diff.HistoryReport;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.introspect.ConnectionSpec;
import io.driftwatch.introspect.SchemaFilter;
import io.driftwatch.introspect.postgres.PostgresCatalogReader;
import io.driftwatch.migrate.FlywayHistoryReader;
import io.driftwatch.migrate.HistoryNotFoundException;
import io.driftwatch.migrate.HistoryUnreadableException;
import io.driftwatch.migrate.MigrationException;
import io.driftwatch.migrate.MigrationScanner;
import io.driftwatch.migrate.ReplayException;
import io.driftwatch.migrate.ReplaySettings;
import io.driftwatch.migrate.Replayer;
import io.driftwatch.model.AppliedHistory;
import io.driftwatch.model.MigrationSet;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.Classifier;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.shadow.PostgresServer;
import io.driftwatch.shadow.ShadowForecast;
import io.driftwatch.shadow.ShadowDatabase;
import io.driftwatch.shadow.ShadowOptions;
import io.driftwatch.shadow.ShadowProviders;
import io.driftwatch.shadow.ShadowRoles;
import io.driftwatch.shadow.ShadowUnavailableException;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.snapshot.SnapshotException;
import io.driftwatch.source.ModelFilter;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs one drift audit, the pipeline of {@code ../shared/DESIGN.md}:
 * scan scripts → read the version table → check history → read the live catalog → replay the
 * applied scripts into a shadow database and read it → diff → classify. With
 * {@link AuditOptions#expectedSnapshot()} the expected model is read from a snapshot instead of
 * replayed (and the version table is checked only when migrations are given too).
 *
 * <p>The target is only ever read: every query runs in a READ ONLY transaction with
 * {@code lock_timeout} and {@code statement_timeout}. Only the shadow database is written.
 *
 * <p>Errors that make a trustworthy result impossible throw {@link AuditException} with the exit
 * code to use (2 configuration, 3 unreachable, 4 replay failed); no partial result is returned.
 * A version table whose applied set cannot be known ({@link HistoryReport#replayRefused()}: rows Flyway
 * cannot read) is not an error but findings (DW211): the schema is then not compared, the result holds the
 * history findings only, its {@link AuditResult.Expected#shadow()} says why, and {@link AuditRun#expected()}
 * is null.
 */
public final class Auditor {

    private final SchemaDiffer differ = new SchemaDiffer();
    private final Classifier classifier = new Classifier();

    /**
     * @param options  validated options
     * @param listener progress and notes
     * @return the audit's findings and facts
     * @throws AuditException when the audit cannot be completed (see class doc)
     */
    public AuditResult run(AuditOptions options, AuditListener listener) throws AuditException {
        return runFull(options, listener).result();
    }

    /**
     * Like {@link #run} but also returns the models and history behind the result.
     *
     * @param options  validated options
     * @param listener progress and notes
     * @return the result with its expected and actual models
     * @throws AuditException when the audit cannot be completed (see class doc)
     */
    public AuditRun runFull(AuditOptions options, AuditListener listener) throws AuditException {
        return runFull(options, listener, null);
    }

    /**
     * Like {@link #runFull(AuditOptions, AuditListener)} but replays into a shadow server the caller
     * opened (and closes), so a later step ({@code driftwatch gate}'s rehearsal) can use the same server.
     *
     * @param options  validated options
     * @param listener progress and notes
     * @param shadow   an open shadow server, or null to open (and close) one from {@code options.shadow()}
     * @return the result with its expected and actual models
     * @throws AuditException when the audit cannot be completed (see class doc)
     */
    public AuditRun runFull(AuditOptions options, AuditListener listener, PostgresServer shadow)
            throws AuditException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
        AuditListener log = new AuditListener() {
            @Override
            public void step(String what) {
                listener.step(what);
            }

            @Override
            public void stepDone(String what, long millis) {
                listener.stepDone(what, millis);
            }

            @Override
            public void note(String line) {
                notes.add(line);
                listener.note(line);
            }
        };

        boolean fromSnapshot = options.expectedSnapshot() != null;
        MigrationSet scripts = fromSnapshot && options.migrations().isEmpty()
                ? new MigrationSet(List.of(), List.of())
                : timed(log, "scanning migrations", () -> scan(options));
        ConnectionSpec target = options.target();

        try (Connection conn = connectTarget(target)) {
            TargetFacts facts = targetFacts(conn, target, options);
            String historySchema = options.historySchema() != null ? options.historySchema()
                    : !options.flywaySchemas().isEmpty() ? options.flywaySchemas().get(0) : facts.currentSchema();
            String historyTable = options.historyTable();

            List<Finding> findings = new ArrayList<>();
            HistoryReport history = fromSnapshot && options.migrations().isEmpty()
                    ? new HistoryChecker().withoutHistory(scripts)
                    : timed(log, "reading " + historySchema + "." + historyTable,
                        () -> checkHistory(conn, target, scripts, historySchema, historyTable, findings, log));

            SchemaFilter filter = new SchemaFilter(options.schemas(), options.excludes(), historySchema, historyTable)
                    .withAccess(options.withPrivileges(), options.withOwners(), options.roleMap());
            PostgresCatalogReader reader = new PostgresCatalogReader(options.lockTimeout(), options.statementTimeout());
            Step<SchemaModel> readLive = () -> timed(log, "reading live catalog", () -> {
                try {
                    return reader.read(conn, filter, target::connect, log::note); // parallel, one snapshot
                } catch (SQLException e) {
                    throw DatabaseErrors.queryFailure("reading the catalog of " + target.display(), e);
                }
            });

            SchemaModel actual;
            SchemaModel expected;
            String shadowDescription;
            if (!fromSnapshot && history.replayRefused() != null) {
                // the applied set is unknown: building an expected schema from a guess would report drift
                // that is not there (or blame an innocent script); the history findings say why
                actual = readLive.run();
                log.note("schema not compared: " + history.replayRefused());
                List<Finding> historyOnly = new ArrayList<>(findings);
                historyOnly.addAll(classifier.history(history.findings()));
                historyOnly.sort(Classifier.ORDER);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                AuditResult result = new AuditResult(Version.get(), started, millis,
                        new AuditResult.Target(target.display(), actual.serverVersion(), actual.schemas(),
                                actual.objectCount()),
                        new AuditResult.Expected(options.migrations().stream().map(Path::toString).toList(),
                                ObjectRef.of(io.driftwatch.model.ObjectKind.TABLE, historySchema, historyTable)
                                        .qualifiedName(),
                                "none (schema not compared: " + history.replayRefused() + ")",
                                scripts.migrations().size(), 0, 0, history.replayRefused()),
                        historyOnly, history.statuses(), options.failOn(), notes);
                return new AuditRun(result, null, actual, scripts, history, filter, historySchema, historyTable);
            }
            if (fromSnapshot) {
                actual = readLive.run();
                shadowDescription = "none (expected schema from snapshot " + options.expectedSnapshot() + ")";
                expected = timed(log, "reading snapshot " + options.expectedSnapshot(),
                        () -> readSnapshot(options.expectedSnapshot(), filter));
            } else {
                ShadowOptions shadowOptions = new ShadowOptions(options.shadow().kind(), options.shadow().shadowUrl(),
                        facts.major(), target);
                Models models = expectedAndActual(conn, shadow, shadowOptions, history, options, filter, readLive, log);
                actual = models.actual();
                expected = models.expected();
                shadowDescription = models.shadowDescription();
            }

            checkSchemasExist(options.schemas(), expected, actual);

            List<Change> changes = differ.diff(expected, actual);
            findings.addAll(classifier.drift(changes));
            findings.addAll(classifier.notAudited(actual.notAudited()));
            findings.addAll(classifier.history(history.findings()));
            findings.sort(Classifier.ORDER);

            long millis = (System.nanoTime() - t0) / 1_000_000;
            AuditResult result = new AuditResult(Version.get(), started, millis,
                    new AuditResult.Target(target.display(), actual.serverVersion(), actual.schemas(), actual.objectCount()),
                    new AuditResult.Expected(options.migrations().stream().map(Path::toString).toList(),
                            ObjectRef.of(io.driftwatch.model.ObjectKind.TABLE, historySchema, historyTable).qualifiedName(),
                            shadowDescription, scripts.migrations().size(), fromSnapshot ? 0 : history.toReplay().size(),
                            expected.objectCount()),
                    findings, history.statuses(), options.failOn(), notes);
            return new AuditRun(result, expected, actual, scripts, history, filter, historySchema, historyTable);
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("talking to " + target.display(), e);
        }
    }

    /** Both models of a replaying audit, and the {@link AuditResult.Expected#shadow()} text. */
    private record Models(SchemaModel actual, SchemaModel expected, String shadowDescription) {
    }

    /**
     * The expected model from the cache when {@link AuditOptions#cache()} has it (no shadow is started
     * and nothing is replayed), else by replaying into a shadow on another thread while this thread
     * reads the live catalog. A live-read failure wins over a shadow failure (as when the steps ran
     * one after the other): the shadow side is then cancelled and a server it started is closed.
     */
    private static Models expectedAndActual(Connection conn, PostgresServer given, ShadowOptions shadowOptions,
                                            HistoryReport history, AuditOptions options, SchemaFilter filter,
                                            Step<SchemaModel> readLive, AuditListener log) throws AuditException {
        List<String> roles = shadowRoleNames(conn, shadowOptions.target(), options);
        ModelCache cache = options.cache();
        ReplayKey.Inputs keyInputs = null;
        if (cache != null) {
            try {
                keyInputs = ReplayKey.inputs(history.toReplay(), replaySettings(options, filter), filter, roles);
            } catch (ReplayKey.Uncacheable e) {
                log.note("expected-model cache not used: " + e.getMessage());
            }
        }
        SchemaModel actualRead = null;
        if (keyInputs != null) {
            OptionalInt major = given != null ? OptionalInt.of(given.majorVersion())
                    : ShadowForecast.major(shadowOptions);
            ReplayKey key = major.isPresent() ? keyInputs.forMajor(major.getAsInt()) : null;
            if (key != null && cache.contains(key)) {
                // parsing a large entry takes about as long as the live read: do both at once
                FutureTask<Optional<SchemaModel>> load = new FutureTask<>(() -> timed(log,
                        "reading the cached expected model", () -> cache.load(key, log::note)));
                start(load, "driftwatch-cache");
                actualRead = readLive.run();
                Optional<SchemaModel> hit = loaded(load, log);
                if (hit.isPresent()) {
                    log.note("expected model: from cache (key " + key.shortHex() + "…, replay skipped)");
                    if (given != null) {
                        shadowRoles(roles, given, log); // the caller's later steps on its server need them
                    }
                    return new Models(actualRead, hit.get(), "none (expected model from the cache, key "
                            + key.shortHex() + "…, replayed earlier on PostgreSQL " + hit.get().serverVersion()
                            + "; replay skipped)");
                }
            }
        }

        ShadowSide side = new ShadowSide(given, shadowOptions, roles, history, options, filter, cache, keyInputs, log);
        if (actualRead != null) {
            // the entry was unusable and the live catalog is read already: just replay
            ShadowSide.Replayed r = side.call();
            return new Models(actualRead, r.model(), r.description());
        }
        FutureTask<ShadowSide.Replayed> task = new FutureTask<>(side);
        Thread thread = start(task, "driftwatch-shadow");
        SchemaModel actual;
        try {
            actual = readLive.run();
        } catch (AuditException | RuntimeException | Error e) {
            side.abort();
            task.cancel(true);
            try {
                thread.join(10_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        try {
            ShadowSide.Replayed r = task.get();
            return new Models(actual, r.model(), r.description());
        } catch (InterruptedException e) {
            side.abort();
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new AuditException(ExitCode.INTERNAL, "interrupted while waiting for the shadow replay", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof AuditException a) {
                throw a;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("shadow replay failed: " + c, c);
        }
    }

    private static Thread start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** @return the cache lookup's result; a failed or interrupted lookup counts as a miss */
    private static Optional<SchemaModel> loaded(FutureTask<Optional<SchemaModel>> load, AuditListener log) {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            log.note("expected-model cache: lookup failed (" + e.getCause() + "); replaying");
            return Optional.empty();
        }
    }

    /**
     * The shadow half of an audit, run on its own thread: opens the shadow server (unless the caller
     * gave one), creates the roles, replays, reads the shadow and stores the model in the cache under
     * the key of the server's real major version.
     */
    private static final class ShadowSide implements Callable<ShadowSide.Replayed> {

        record Replayed(SchemaModel model, String description) {
        }

        private final PostgresServer given;
        private final ShadowOptions shadowOptions;
        private final List<String> roles;
        private final HistoryReport history;
        private final AuditOptions options;
        private final SchemaFilter filter;
        private final ModelCache cache;
        private final ReplayKey.Inputs keyInputs;
        private final AuditListener log;
        private PostgresServer opened;
        private boolean aborted;

        ShadowSide(PostgresServer given, ShadowOptions shadowOptions, List<String> roles, HistoryReport history,
                   AuditOptions options, SchemaFilter filter, ModelCache cache, ReplayKey.Inputs keyInputs,
                   AuditListener log) {
            this.given = given;
            this.shadowOptions = shadowOptions;
            this.roles = roles;
            this.history = history;
            this.options = options;
            this.filter = filter;
            this.cache = cache;
            this.keyInputs = keyInputs;
            this.log = log;
        }

        @Override
        public Replayed call() throws AuditException {
            PostgresServer server = given != null ? given
                    : timed(log, "starting shadow database", () -> openShadow(shadowOptions, log));
            if (given == null && !adopt(server)) {
                throw new AuditException(ExitCode.INTERNAL, "shadow replay cancelled", null);
            }
            try {
                shadowRoles(roles, server, log);
                SchemaModel expected = timed(log, "replaying " + history.toReplay().size()
                        + " migrations into the shadow", () -> replayAndRead(server, history, options, filter, log));
                if (keyInputs != null) {
                    cache.store(keyInputs.forMajor(server.majorVersion()), expected, log::note);
                }
                return new Replayed(expected, server.description());
            } finally {
                if (given == null) {
                    server.close();
                }
            }
        }

        /** @return false (and closes it) when the audit was aborted while the server started */
        private synchronized boolean adopt(PostgresServer server) {
            if (aborted) {
                server.close();
                return false;
            }
            opened = server;
            return true;
        }

        /** Stops the replay: closes a server this side started (the replay then fails fast). */
        synchronized void abort() {
            aborted = true;
            if (opened != null) {
                opened.close();
            }
        }
    }

    private static SchemaModel readSnapshot(Path file, SchemaFilter filter) throws AuditException {
        try {
            return ModelFilter.apply(SnapshotCodec.read(file), filter);
        } catch (SnapshotException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    private MigrationSet scan(AuditOptions options) throws AuditException {
        try {
            return new MigrationScanner().scan(options.migrations(), options.placeholders());
        } catch (MigrationException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    private static Connection connectTarget(ConnectionSpec target) throws AuditException {
        try {
            return target.connect();
        } catch (SQLException e) {
            throw DatabaseErrors.connectFailure("target", target, e);
        }
    }

    private record TargetFacts(int major, String currentSchema) {
    }

    private static TargetFacts targetFacts(Connection conn, ConnectionSpec target, AuditOptions options)
            throws AuditException {
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000, current_schema()")) {
            rs.next();
            return new TargetFacts(rs.getInt(1), rs.getString(2) == null ? "public" : rs.getString(2));
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading the server version of " + target.display(), e);
        }
    }

    private HistoryReport checkHistory(Connection conn, ConnectionSpec target, MigrationSet scripts,
                                       String schema, String table, List<Finding> findings, AuditListener log)
            throws AuditException {
        HistoryChecker checker = new HistoryChecker();
        try {
            AppliedHistory applied = new FlywayHistoryReader().read(conn, schema, table);
            return checker.check(scripts, applied);
        } catch (HistoryNotFoundException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage()
                    + " in " + target.display() + "; pass --history-schema/--history-table if it lives elsewhere", e);
        } catch (HistoryUnreadableException e) {
            log.note("warning: " + e.getMessage() + "; replaying every script instead");
            findings.add(new Finding(Rule.DW212, Rule.DW212.defaultSeverity(),
                    ObjectRef.migration(schema + "." + table), null, null, e.getMessage()));
            return checker.withoutHistory(scripts);
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading " + schema + "." + table + " in " + target.display(), e);
        }
    }

    /**
     * Opens the shadow server {@code options} ask for, saying on {@code log} which one and why.
     *
     * @param options how to obtain the server
     * @param log     receives the provider's notes
     * @return an open server; the caller closes it
     * @throws AuditException exit 3 when no shadow can be started or reached, exit 2 for invalid options
     */
    public static PostgresServer openShadow(ShadowOptions options, AuditListener log) throws AuditException {
        try {
            return ShadowProviders.open(options, log::note);
        } catch (ShadowUnavailableException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "no shadow database available: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * On a shadow server Driftwatch started, creates the target's roles (and the names {@code --role-map}
     * maps to) as NOLOGIN roles, so migrations that GRANT to them or give objects to them replay.
     * Never on a server given by URL ({@link ShadowRoles#ensure}).
     */
    private static void shadowRoles(List<String> roles, PostgresServer server, AuditListener log)
            throws AuditException {
        if ("url".equals(server.provider())) {
            return;
        }
        try {
            ShadowRoles.ensure(server, roles, log::note);
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "creating the target's roles in the shadow on "
                    + server.description() + " failed: " + DatabaseErrors.firstLine(e.getMessage()), e);
        }
    }

    /** @return the target's role names and the names {@code --role-map} maps to: the roles a shadow gets */
    private static List<String> shadowRoleNames(Connection target, ConnectionSpec spec, AuditOptions options)
            throws AuditException {
        try {
            List<String> roles = new ArrayList<>(ShadowRoles.read(target));
            roles.addAll(options.roleMap().values());
            return roles;
        } catch (SQLException e) {
            throw DatabaseErrors.queryFailure("reading the roles of " + spec.display(), e);
        }
    }

    private static ReplaySettings replaySettings(AuditOptions options, SchemaFilter filter) {
        return new ReplaySettings(options.flywaySchemas(), filter.historySchema(), options.historyTable(),
                options.placeholders());
    }

    private static SchemaModel replayAndRead(PostgresServer server, HistoryReport history, AuditOptions options,
                                             SchemaFilter filter, AuditListener log) throws AuditException {
        try (ShadowDatabase shadow = server.createDatabase("dw_shadow")) {
            new Replayer(log::note).replay(shadow, history.toReplay(), replaySettings(options, filter));
            try (Connection c = shadow.connect()) {
                return new PostgresCatalogReader(options.lockTimeout(), options.statementTimeout()).read(c, filter);
            }
        } catch (ReplayException e) {
            throw new AuditException(ExitCode.REPLAY_FAILED, e.getMessage() + ShadowRoles.hint(e.getMessage()), e);
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "shadow database on " + server.description() + " failed: "
                    + DatabaseErrors.firstLine(e.getMessage()), e);
        }
    }

    private static void checkSchemasExist(List<String> requested, SchemaModel expected, SchemaModel actual)
            throws AuditException {
        Set<String> known = new LinkedHashSet<>(expected.schemas());
        known.addAll(actual.schemas());
        for (String s : requested) {
            if (!known.contains(s)) {
                throw new AuditException(ExitCode.USAGE, "schema \"" + s
                        + "\" exists neither in the database nor in the migrations (check --schemas)", null);
            }
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws AuditException;
    }

    private static <T> T timed(AuditListener log, String what, Step<T> step) throws AuditException {
        log.step(what);
        long t = System.nanoTime();
        T result = step.run();
        log.stepDone(what, (System.nanoTime() - t) / 1_000_000);
        return result;
    }
}
