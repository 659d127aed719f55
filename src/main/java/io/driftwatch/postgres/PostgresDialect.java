package io.driftwatch.postgres;

import io.driftwatch.base.AuditException;
import io.driftwatch.dialect.CatalogReader;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.ServerFacts;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.postgres.gate.InFlightCheck;
import io.driftwatch.postgres.gate.Readiness;
import io.driftwatch.postgres.shadow.ShadowForecast;
import io.driftwatch.postgres.shadow.ShadowProviders;
import io.driftwatch.postgres.shadow.ShadowRoles;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * PostgreSQL as the pipeline's {@link Dialect}: {@link ConnectionSpec} URLs and {@code PG*} variables,
 * the set-based {@code pg_catalog} reader ({@link PostgresCatalogReader}), shadow servers from local
 * binaries, embedded, Docker or a URL ({@link ShadowProviders}), the bridge planner ({@link Planner}),
 * and {@code pg_stat_activity} / {@code pg_locks} for DDL in progress ({@link InFlightCheck}).
 * Stateless; one shared instance.
 */
public final class PostgresDialect implements Dialect {

    /** The one instance. */
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String url) {
        String lower = url.strip().toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    @Override
    public DatabaseTarget target(String url, String user, String password, Map<String, String> env) {
        return ConnectionSpec.parse(url, user, password, env);
    }

    @Override
    public Connection awaitReady(DatabaseTarget target, Duration wait, Consumer<String> checkpoint)
            throws AuditException {
        return Readiness.await(ConnectionSpec.of(target), wait, checkpoint);
    }

    @Override
    public CatalogReader reader(Duration lockTimeout, Duration statementTimeout) {
        return new PostgresCatalogReader(lockTimeout == null ? PostgresCatalogReader.DEFAULT_LOCK_TIMEOUT : lockTimeout,
                statementTimeout == null ? PostgresCatalogReader.DEFAULT_STATEMENT_TIMEOUT : statementTimeout);
    }

    @Override
    public TargetSession begin(Connection connection, Duration lockTimeout, Duration statementTimeout)
            throws SQLException {
        return ReadSession.begin(connection,
                lockTimeout == null ? PostgresCatalogReader.DEFAULT_LOCK_TIMEOUT : lockTimeout,
                statementTimeout == null ? PostgresCatalogReader.DEFAULT_STATEMENT_TIMEOUT : statementTimeout);
    }

    /** The parallel read of {@link PostgresCatalogReader} on more connections sharing the session's snapshot. */
    @Override
    public SchemaModel readLive(CatalogReader reader, TargetSession session, DatabaseTarget target,
                                SchemaFilter filter, Consumer<String> notes) throws SQLException {
        if (reader instanceof PostgresCatalogReader pg && session instanceof ReadSession rs) {
            return pg.read(rs, filter, target::connect, notes);
        }
        return reader.read(session.connection(), filter);
    }

    @Override
    public SchemaModel readLive(CatalogReader reader, Connection connection, DatabaseTarget target,
                                SchemaFilter filter, Consumer<String> notes) throws SQLException {
        if (reader instanceof PostgresCatalogReader pg) {
            return pg.read(connection, filter, target::connect, notes); // parallel, one snapshot
        }
        return reader.read(connection, filter);
    }

    /** Reads {@code server_version_num}, {@code current_schema()} and {@code current_user} in a read session. */
    @Override
    public ServerFacts facts(Connection connection) throws SQLException {
        try (ReadSession s = ReadSession.begin(connection, PostgresCatalogReader.DEFAULT_LOCK_TIMEOUT,
                PostgresCatalogReader.DEFAULT_STATEMENT_TIMEOUT)) {
            return s.serverFacts();
        }
    }

    @Override
    public ShadowServer openShadow(ShadowOptions options, Consumer<String> notes) throws ShadowUnavailableException {
        return ShadowProviders.open(options, notes);
    }

    @Override
    public OptionalInt forecastShadowMajor(ShadowOptions options) {
        return ShadowForecast.major(options);
    }

    @Override
    public String replayHint(String replayError) {
        return ShadowRoles.hint(replayError);
    }

    @Override
    public List<String> roles(Connection connection) throws SQLException {
        return ShadowRoles.read(connection);
    }

    /** Creates the roles as NOLOGIN roles, only on a server Driftwatch started ({@link ShadowRoles#ensure}). */
    @Override
    public void ensureRoles(ShadowServer server, Collection<String> roles, Consumer<String> notes)
            throws SQLException {
        if ("url".equals(server.provider())) {
            return;
        }
        ShadowRoles.ensure(server, roles, notes);
    }

    /** Counts {@code pg_class} rows of relkind {@code r} and {@code p} outside the system schemas. */
    @Override
    public long tableCount(Connection connection, io.driftwatch.model.ObjectRef except) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                + " AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND NOT (n.nspname = ? AND c.relname = ?)")) {
            ps.setString(1, except == null ? "" : except.schema());
            ps.setString(2, except == null ? "" : except.name());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public List<String> ddlInProgress(Connection connection, List<String> schemas) throws SQLException {
        return InFlightCheck.ddlInProgress(connection, schemas);
    }

    @Override
    public Plan plan(SchemaModel from, SchemaModel to, PlanOptions options) {
        return new Planner().plan(from, to, options);
    }

    @Override
    public AuditException connectFailure(String role, DatabaseTarget target, SQLException e) {
        return DatabaseErrors.connectFailure(role, ConnectionSpec.of(target), e);
    }

    @Override
    public AuditException queryFailure(String what, SQLException e, Duration lockTimeout, Duration statementTimeout) {
        return lockTimeout == null && statementTimeout == null ? DatabaseErrors.queryFailure(what, e)
                : DatabaseErrors.queryFailure(what, e, lockTimeout, statementTimeout);
    }
}
