package io.driftwatch.audit;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.Version;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.cache.ModelCache;
import io.driftwatch.cache.ReplayKey;
import io.driftwatch.dialect.CatalogReader;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.ServerFacts;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.HistoryState;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Classifier;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.snapshot.SnapshotException;
import io.driftwatch.source.ModelFilter;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryReport;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.tool.MigrationException;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.tool.UncacheableException;
import io.driftwatch.tool.VersionTableRef;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
 * scan the revisions ({@link MigrationTool}) → read and check the version table → read the live catalog
 * ({@link Dialect}) → replay the applied revisions into a shadow database and read it → diff → classify. With
 * {@link AuditOptions#expectedSnapshot()} the expected model is read from a snapshot instead of
 * replayed (and the version table is checked only when migrations are given too).
 *
 * <p>The target is only ever read: every query runs in a READ ONLY transaction with
 * {@code lock_timeout} and {@code statement_timeout}. Only the shadow database is written.
 *
 * <p>Errors that make a trustworthy result impossible throw {@link AuditException} with the exit
 * code to use (2 configuration, 3 unreachable, 4 replay failed); no partial result is returned.
 * A version table whose applied set cannot be known ({@link HistoryReport#noExpectedSchema()}: rows Flyway
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
    public AuditRun runFull(AuditOptions options, AuditListener listener, ShadowServer shadow)
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

        MigrationTool tool = options.tool();
        Dialect dialect = options.dialect();
        // an audit against a snapshot with no migrations checks no version table (but still skips it)
        boolean useTool = tool != null && !(options.expectedSnapshot() != null && tool.locations().isEmpty());
        RevisionGraph graph = !useTool ? new RevisionGraph(tool == null ? "none" : tool.name(), List.of())
                : timed(log, "scanning migrations", () -> scan(tool));
        DatabaseTarget target = options.target();

        CatalogReader reader = dialect.reader(options.lockTimeout(), options.statementTimeout());
        // everything read from the target (facts, version table, roles, catalog) is read in one read-only
        // session with the timeouts; it ends right after the catalog read
        try (Connection conn = connectTarget(dialect, target);
             TargetSession session = beginRead(dialect, conn, target, options)) {
            ServerFacts facts = session.serverFacts();
            VersionTableRef table = tool == null ? null : tool.versionTable(facts.currentSchema());

            List<Finding> findings = new ArrayList<>();
            HistoryReport history = !useTool ? null
                    : timed(log, "reading " + table.display(),
                        () -> checkHistory(dialect, session, target, tool, graph, table, findings, log));

            SchemaFilter filter = new SchemaFilter(options.schemas(), options.excludes(),
                    tool == null ? null : table.schema(), tool == null ? null : table.table())
                    .withAccess(options.withPrivileges(), options.withOwners(), options.roleMap());
            Step<SchemaModel> readLive = () -> timed(log, "reading live catalog", () -> {
                try (session) { // no transaction stays open on the target while the shadow replays
                    return dialect.readLive(reader, session, target, filter, log::note);
                } catch (SQLException e) {
                    throw dialect.queryFailure("reading the catalog of " + target.display(), e,
                            options.lockTimeout(), options.statementTimeout());
                }
            });

            SchemaModel actual;
            SchemaModel expected;
            String shadowDescription;
            String noExpected = history == null ? null : history.noExpectedSchema();
            if (noExpected != null && options.expectedSnapshot() == null) {
                // the tool cannot say which revisions are applied: compare no schema rather than a wrong one
                actual = readLive.run();
                expected = null;
                shadowDescription = "none (schema not compared: " + noExpected + ")";
                log.note("schema not compared: " + noExpected);
            } else if (options.expectedSnapshot() != null) {
                actual = readLive.run();
                shadowDescription = "none (expected schema from snapshot " + options.expectedSnapshot() + ")";
                expected = timed(log, "reading snapshot " + options.expectedSnapshot(),
                        () -> readSnapshot(options.expectedSnapshot(), filter));
            } else {
                ShadowOptions shadowOptions = options.shadow().forTarget(facts.major(), target);
                Models models = expectedAndActual(session, shadow, shadowOptions, graph, history, table, options,
                        filter, readLive, log);
                actual = models.actual();
                expected = models.expected();
                shadowDescription = models.shadowDescription();
            }

            checkSchemasExist(options.schemas(), expected == null ? actual : expected, actual);

            if (expected != null) {
                findings.addAll(classifier.drift(differ.diff(expected, actual)));
            }
            findings.addAll(classifier.notAudited(actual.notAudited()));
            if (history != null) {
                findings.addAll(history.findings());
            }
            findings.sort(Classifier.ORDER);

            long millis = (System.nanoTime() - t0) / 1_000_000;
            boolean replayed = options.expectedSnapshot() == null && noExpected == null;
            AuditResult result = new AuditResult(Version.get(), started, millis,
                    new AuditResult.Target(target.display(), actual.serverVersion(), actual.schemas(), actual.objectCount()),
                    new AuditResult.Expected(tool == null ? List.of() : tool.locations(),
                            tool == null ? null : ObjectRef.of(ObjectKind.TABLE, table.schema(), table.table()).qualifiedName(),
                            shadowDescription, graph.revisions().size(),
                            replayed && history != null ? history.toReplay().size() : 0,
                            expected == null ? 0 : expected.objectCount(), noExpected),
                    findings, history == null ? HistoryState.none() : history.state(), options.failOn(), notes);
            return new AuditRun(result, expected, actual, graph, history == null ? List.of() : history.toReplay(),
                    history == null ? List.of() : history.pending(), filter, table == null ? null : table.schema(),
                    table == null ? null : table.table());
        } catch (SQLException e) {
            throw dialect.queryFailure("talking to " + target.display(), e, options.lockTimeout(),
                    options.statementTimeout());
        }
    }

    /** @return the audit's read session on the target ({@link Dialect#begin}) */
    private static TargetSession beginRead(Dialect dialect, Connection conn, DatabaseTarget target,
                                           AuditOptions options) throws AuditException {
        try {
            return dialect.begin(conn, options.lockTimeout(), options.statementTimeout());
        } catch (SQLException e) {
            throw dialect.queryFailure("starting the read-only transaction on " + target.display(), e,
                    options.lockTimeout(), options.statementTimeout());
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
    private static Models expectedAndActual(TargetSession session, ShadowServer given, ShadowOptions shadowOptions,
                                            RevisionGraph graph, HistoryReport history, VersionTableRef table,
                                            AuditOptions options, SchemaFilter filter, Step<SchemaModel> readLive,
                                            AuditListener log) throws AuditException {
        Dialect dialect = options.dialect();
        List<String> roles = shadowRoleNames(session, options);
        ModelCache cache = options.cache();
        ReplayKey.Inputs keyInputs = null;
        if (cache != null) {
            try {
                keyInputs = ReplayKey.inputs(options.tool().name(), graph.select(history.toReplay()),
                        options.tool().cacheKey(graph, history.toReplay(), table), filter, roles);
            } catch (UncacheableException e) {
                log.note("expected-model cache not used: " + e.getMessage());
            }
        }
        SchemaModel actualRead = null;
        if (keyInputs != null) {
            OptionalInt major = given != null ? OptionalInt.of(given.majorVersion())
                    : dialect.forecastShadowMajor(shadowOptions);
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
                        shadowRoles(dialect, roles, given, log); // the caller's later steps on its server need them
                    }
                    return new Models(actualRead, hit.get(), "none (expected model from the cache, key "
                            + key.shortHex() + "…, replayed earlier on PostgreSQL " + hit.get().serverVersion()
                            + "; replay skipped)");
                }
            }
        }

        ShadowSide side = new ShadowSide(given, shadowOptions, roles, graph, history, table, options, filter, cache,
                keyInputs, log);
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

        private final ShadowServer given;
        private final ShadowOptions shadowOptions;
        private final List<String> roles;
        private final RevisionGraph graph;
        private final HistoryReport history;
        private final VersionTableRef table;
        private final AuditOptions options;
        private final SchemaFilter filter;
        private final ModelCache cache;
        private final ReplayKey.Inputs keyInputs;
        private final AuditListener log;
        private ShadowServer opened;
        private boolean aborted;

        ShadowSide(ShadowServer given, ShadowOptions shadowOptions, List<String> roles, RevisionGraph graph,
                   HistoryReport history, VersionTableRef table, AuditOptions options, SchemaFilter filter,
                   ModelCache cache, ReplayKey.Inputs keyInputs, AuditListener log) {
            this.given = given;
            this.shadowOptions = shadowOptions;
            this.roles = roles;
            this.graph = graph;
            this.history = history;
            this.table = table;
            this.options = options;
            this.filter = filter;
            this.cache = cache;
            this.keyInputs = keyInputs;
            this.log = log;
        }

        @Override
        public Replayed call() throws AuditException {
            ShadowServer server = given != null ? given
                    : timed(log, "starting shadow database", () -> openShadow(options.dialect(), shadowOptions, log));
            if (given == null && !adopt(server)) {
                throw new AuditException(ExitCode.INTERNAL, "shadow replay cancelled", null);
            }
            try {
                shadowRoles(options.dialect(), roles, server, log);
                SchemaModel expected = timed(log, "replaying " + history.toReplay().size()
                        + " migrations into the shadow", () -> replayAndRead(server, graph, history, table, options,
                        filter));
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
        private synchronized boolean adopt(ShadowServer server) {
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

    private static RevisionGraph scan(MigrationTool tool) throws AuditException {
        try {
            return tool.scan();
        } catch (MigrationException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    private static Connection connectTarget(Dialect dialect, DatabaseTarget target) throws AuditException {
        try {
            return target.connect();
        } catch (SQLException e) {
            throw dialect.connectFailure("target", target, e);
        }
    }

    private static HistoryReport checkHistory(Dialect dialect, TargetSession session, DatabaseTarget target,
                                              MigrationTool tool, RevisionGraph graph, VersionTableRef table,
                                              List<Finding> findings, AuditListener log) throws AuditException {
        try {
            return tool.history(session, graph, table);
        } catch (HistoryNotFoundException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage()
                    + " in " + target.display() + "; pass --history-schema/--history-table if it lives elsewhere", e);
        } catch (HistoryUnreadableException e) {
            log.note("warning: " + e.getMessage() + "; replaying every script instead");
            findings.add(new Finding(Rule.DW212, Rule.DW212.defaultSeverity(),
                    ObjectRef.migration(table.display()), null, null, e.getMessage()));
            return tool.withoutHistory(graph, table);
        } catch (SQLException e) {
            throw dialect.queryFailure("reading " + table.display() + " in " + target.display(), e,
                    session.lockTimeout(), session.statementTimeout());
        }
    }

    /**
     * Opens the shadow server {@code options} ask for, saying on {@code log} which one and why.
     *
     * @param dialect the database engine
     * @param options how to obtain the server
     * @param log     receives the provider's notes
     * @return an open server; the caller closes it
     * @throws AuditException exit 3 when no shadow can be started or reached, exit 2 for invalid options
     */
    public static ShadowServer openShadow(Dialect dialect, ShadowOptions options, AuditListener log)
            throws AuditException {
        try {
            return dialect.openShadow(options, log::note);
        } catch (ShadowUnavailableException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "no shadow database available: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * On a shadow server Driftwatch started, creates the target's roles (and the names {@code --role-map}
     * maps to) as NOLOGIN roles, so migrations that GRANT to them or give objects to them replay.
     * Never on a server given by URL ({@link Dialect#ensureRoles}).
     */
    private static void shadowRoles(Dialect dialect, List<String> roles, ShadowServer server, AuditListener log)
            throws AuditException {
        try {
            dialect.ensureRoles(server, roles, log::note);
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "creating the target's roles in the shadow on "
                    + server.description() + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** @return the target's role names and the names {@code --role-map} maps to: the roles a shadow gets */
    private static List<String> shadowRoleNames(TargetSession session, AuditOptions options) throws AuditException {
        try {
            List<String> roles = new ArrayList<>(options.dialect().roles(session.connection()));
            roles.addAll(options.roleMap().values());
            return roles;
        } catch (SQLException e) {
            throw options.dialect().queryFailure("reading the roles of " + options.target().display(), e,
                    session.lockTimeout(), session.statementTimeout());
        }
    }

    private static SchemaModel replayAndRead(ShadowServer server, RevisionGraph graph, HistoryReport history,
                                             VersionTableRef table, AuditOptions options, SchemaFilter filter)
            throws AuditException {
        try (ShadowDatabase shadow = server.createDatabase("dw_shadow")) {
            options.tool().replay(shadow, graph, history.toReplay(), table);
            try (Connection c = shadow.connect()) {
                return options.dialect().reader(options.lockTimeout(), options.statementTimeout()).read(c, filter);
            }
        } catch (ReplayException e) {
            throw new AuditException(ExitCode.REPLAY_FAILED, e.getMessage() + options.dialect().replayHint(e.getMessage()),
                    e);
        } catch (SQLException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "shadow database on " + server.description() + " failed: "
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
