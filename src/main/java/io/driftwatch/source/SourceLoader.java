package io.driftwatch.source;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.snapshot.SnapshotException;
import io.driftwatch.tool.MigrationException;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.tool.VersionTableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Loads any {@link Source} into a {@link SchemaModel}:
 * <ul>
 *   <li>{@link Source.Database}: the dialect's catalog reader in a READ ONLY transaction with the
 *       options' {@code lock_timeout} and {@code statement_timeout}, on several connections sharing one
 *       snapshot where the engine can (one when a second cannot be opened); nothing is written;</li>
 *   <li>{@link Source.Migrations}: the folder's project ({@link SourceOptions#tools()}) scanned, the
 *       revisions up to the source's target ({@link MigrationTool#replaySet}) replayed by the tool into a
 *       fresh database on a shadow server, which is read and dropped;</li>
 *   <li>{@link Source.SnapshotFile}: {@link SnapshotCodec#read(java.nio.file.Path)}, then the options'
 *       schemas/excludes applied as the catalog reader would have.</li>
 * </ul>
 * One loader opens at most one shadow server, lazily, and reuses it for every {@code migrations:}
 * source; {@link #close()} stops it. When a database or snapshot was loaded first, the shadow is
 * chosen for that server's major version (so {@code diff --from live --to migrations:...} deparses
 * both sides with the same major). Not thread-safe; one loader per command run.
 *
 * <p>Errors are {@link AuditException}s with one-line, password-free messages and the documented
 * exit codes: 2 for a bad snapshot file, a missing or empty migrations folder or an unknown
 * {@code @VERSION}; 3 when a database or the shadow server cannot be reached; 4 when a migration
 * fails to replay.
 */
public final class SourceLoader implements AutoCloseable {

    private final SourceOptions options;
    private final AuditListener listener;
    private ShadowServer shadow;
    private Integer knownMajor;
    private DatabaseTarget firstDatabase;

    /**
     * @param options  scope, Flyway settings, shadow, timeouts
     * @param listener receives progress steps and notes (e.g. which shadow server was chosen)
     */
    public SourceLoader(SourceOptions options, AuditListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * @param source what to load
     * @return its schema; {@link SchemaModel#serverVersion()} is the server it was read from (for a
     *         snapshot: the one recorded in the file)
     * @throws AuditException as described in the class doc
     */
    public SchemaModel load(Source source) throws AuditException {
        Objects.requireNonNull(source, "source");
        listener.step("reading " + source.display());
        long t = System.nanoTime();
        SchemaModel model;
        if (source instanceof Source.Database d) {
            model = loadDatabase(d.spec());
            if (firstDatabase == null) {
                firstDatabase = d.spec();
            }
        } else if (source instanceof Source.Migrations m) {
            model = loadMigrations(m);
        } else if (source instanceof Source.SnapshotFile s) {
            model = loadSnapshot(s);
        } else {
            throw new IllegalStateException("unknown source type " + source.getClass());
        }
        if (knownMajor == null && !(source instanceof Source.Migrations)) {
            knownMajor = major(model.serverVersion());
        }
        listener.stepDone("reading " + source.display(), (System.nanoTime() - t) / 1_000_000);
        return model;
    }

    /** Stops the shadow server, if this loader started one. Idempotent. */
    @Override
    public void close() {
        if (shadow != null) {
            shadow.close();
            shadow = null;
        }
    }

    private SchemaModel loadDatabase(DatabaseTarget spec) throws AuditException {
        Connection conn;
        try {
            conn = spec.connect();
        } catch (SQLException e) {
            throw options.dialect().connectFailure("source", spec, e);
        }
        try (conn) {
            // more connections on the same snapshot (falls back to this one alone, with a note)
            return options.dialect().readLive(reader(), conn, spec, options.filter(), listener::note);
        } catch (SQLException e) {
            throw options.dialect().queryFailure("reading the catalog of " + spec.display(), e, options.lockTimeout(),
                    options.statementTimeout());
        }
    }

    private SchemaModel loadSnapshot(Source.SnapshotFile s) throws AuditException {
        try {
            return ModelFilter.apply(SnapshotCodec.read(s.file()), options.filter());
        } catch (SnapshotException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    private SchemaModel loadMigrations(Source.Migrations m) throws AuditException {
        MigrationTool tool;
        RevisionGraph graph;
        List<String> ids;
        try {
            tool = options.tools().forFolder(m.dir());
            graph = tool.scan();
            ids = tool.replaySet(graph, m.version());
        } catch (MigrationException e) {
            throw new AuditException(ExitCode.USAGE, "source " + m.display() + ": " + e.getMessage(), e);
        }
        ShadowServer server = shadow();
        try (ShadowDatabase db = server.createDatabase("dw_source")) {
            String schema = options.historySchema() != null ? options.historySchema() : "public";
            VersionTableRef table = tool.versionTable(schema);
            tool.replay(db, graph, ids, table);
            try (Connection c = db.connect()) {
                return reader().read(c, options.filter());
            }
        } catch (ReplayException e) {
            throw new AuditException(ExitCode.REPLAY_FAILED, m.display() + ": " + e.getMessage(), e);
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

    /**
     * The shadow server of this loader, started on first use (by a migrations source or a bridge
     * verification) and stopped by {@link #close()}.
     *
     * @return a server Driftwatch may write to
     * @throws AuditException exit 3 when no provider can start one, exit 2 for a refused {@code --shadow-url}
     */
    public ShadowServer shadow() throws AuditException {
        if (shadow == null) {
            ShadowOptions requested = options.shadow();
            ShadowOptions o = requested.forTarget(knownMajor, firstDatabase);
            listener.step("starting shadow database");
            long t = System.nanoTime();
            try {
                shadow = options.dialect().openShadow(o, listener::note);
            } catch (ShadowUnavailableException e) {
                throw new AuditException(ExitCode.UNREACHABLE, "no shadow database available: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
            }
            listener.stepDone("starting shadow database", (System.nanoTime() - t) / 1_000_000);
        }
        return shadow;
    }

    private io.driftwatch.dialect.CatalogReader reader() {
        return options.dialect().reader(options.lockTimeout(), options.statementTimeout());
    }

    /** @return the major version in {@code 15.18 (Debian ...)}, or null */
    static Integer major(String serverVersion) {
        return SchemaModel.majorOf(serverVersion);
    }
}
