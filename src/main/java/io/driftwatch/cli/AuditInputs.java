package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.base.ExitCode;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.flyway.FlywaySettings;
import io.driftwatch.policy.Severity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every command that audits needs ({@code audit}, {@code bridge}, {@code stamp}): the target
 * connection, the migrations, the scope, the version table, the shadow, the expected-model cache and
 * the read timeouts, as
 * one Picocli mixin that turns them into validated {@link AuditOptions}.
 */
public final class AuditInputs {

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"--migrations", "-m"}, paramLabel = "DIR",
            description = "Flyway migrations folder (V<version>__<desc>.sql, R__<desc>.sql); repeatable.")
    List<Path> migrations = new ArrayList<>();

    @Option(names = "--expected", paramLabel = "SOURCE",
            description = "Take the expected schema from a snapshot (snapshot:FILE or FILE.json, written by "
                    + "driftwatch inspect) instead of replaying the migrations; with no --migrations the version "
                    + "table is not checked.")
    String expected;

    @Mixin
    FlywayMixin flyway;

    @Mixin
    AlembicMixin alembic;

    @Option(names = "--tool", paramLabel = "TOOL",
            description = "Migration tool of the project: flyway or alembic. Default: alembic with --alembic-config, "
                    + "else flyway.")
    String tool;

    @Mixin
    ScopeMixin scope;

    @Option(names = "--history-schema", paramLabel = "SCHEMA",
            description = "Schema of the version table. Default: Flyway's default schema (first of its schemas), Alembic's "
                    + "version_table_schema, else the role's current schema.")
    String historySchema;

    @Option(names = "--history-table", paramLabel = "TABLE",
            description = "Version table name. Default: flyway_schema_history (or 'table' from the Flyway config); "
                    + "for Alembic alembic_version (or version_table from alembic.ini).")
    String historyTable;

    @Mixin
    ShadowMixin shadow;

    @Mixin
    CacheMixin cache;

    @Mixin
    TimeoutMixin timeouts;

    /**
     * Builds validated audit options from flags, the Flyway config and the environment.
     *
     * @param failOn the {@code --fail-on} threshold of the command, null for never
     * @return the options
     *
     * @throws AuditException (exit 2) for invalid flags or configuration
     */
    public AuditOptions toOptions(Severity failOn) throws AuditException {
        return toOptions(failOn, java.time.Duration.ZERO);
    }

    /**
     * As {@link #toOptions(Severity)} for a command whose connections also run statements under
     * another {@code statement_timeout} (the gate's data probes): the driver's socket timeout must
     * outlast the longer of the two.
     *
     * @param failOn          the {@code --fail-on} threshold of the command, null for never
     * @param otherStatements the longest other {@code statement_timeout}, zero when none
     * @return the options
     * @throws AuditException (exit 2) for invalid flags or configuration
     */
    public AuditOptions toOptions(Severity failOn, java.time.Duration otherStatements) throws AuditException {
        Map<String, String> env = System.getenv();
        try {
            Path snapshot = expectedSnapshot();
            MigrationTool project = project(snapshot, env);
            if (connection.nothingGiven(env)) {
                throw new IllegalArgumentException("no database given: pass --url postgresql://user@host:5432/db "
                        + "(or set PGHOST and PGDATABASE)");
            }
            java.time.Duration longest = longest(otherStatements);
            ConnectionSpec target = timeouts.apply(connection.spec(env), longest);
            return new AuditOptions(PostgresDialect.INSTANCE, target, project, scope.schemas, scope.excludes,
                    shadow.options(env, timeouts, longest), failOn, timeouts.lock(), timeouts.statement())
                    .withExpectedSnapshot(snapshot)
                    .withAccess(scope.withPrivileges, scope.withOwners, scope.roleMap())
                    .withCache(cache.cache(env, System.getProperty("user.home")));
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * The migration project the flags name: Alembic with {@code --alembic-config} (or {@code --tool
     * alembic}), else Flyway's locations from {@code --migrations} or {@code --flyway-config}.
     *
     * @throws IllegalArgumentException for contradictory or missing flags
     */
    private MigrationTool project(Path snapshot, Map<String, String> env) throws AuditException {
        String which = tool == null ? null : tool.trim().toLowerCase(java.util.Locale.ROOT);
        if (which != null && !which.equals("flyway") && !which.equals("alembic")) {
            throw new IllegalArgumentException("--tool '" + tool + "' is not one of flyway, alembic");
        }
        boolean flywayGiven = !migrations.isEmpty() || flyway.flywayConfig != null;
        if (which == null && alembic.given() && flywayGiven) {
            throw new IllegalArgumentException("both Flyway (--migrations/--flyway-config) and Alembic "
                    + "(--alembic-config) are given: pass --tool flyway or --tool alembic");
        }
        if ("alembic".equals(which) || (which == null && alembic.given())) {
            if (!alembic.given()) {
                throw new IllegalArgumentException("--tool alembic needs --alembic-config alembic.ini");
            }
            return alembic.tool(historyTable, historySchema, env);
        }
        FlywaySettings flyway = this.flyway.settings();
        List<Path> locations = !migrations.isEmpty() ? migrations
                : flyway != null ? flyway.locations() : List.of();
        if (locations.isEmpty() && snapshot == null) {
            throw new IllegalArgumentException("no migrations given: pass --migrations DIR, "
                    + "--flyway-config flyway.toml, --alembic-config alembic.ini, or --expected snapshot:FILE");
        }
        Map<String, String> ph = this.flyway.placeholders(flyway);
        String table = historyTable != null ? historyTable
                : flyway != null && flyway.table() != null ? flyway.table() : "flyway_schema_history";
        String hSchema = historySchema != null ? historySchema
                : flyway != null ? flyway.defaultSchema() : null;
        return new FlywayTool(locations, ph, flyway != null ? flyway.schemas() : List.of(), hSchema, table);
    }

    /**
     * @return the target connection spec from flags and environment
     * @throws AuditException (exit 2) when the URL is malformed
     */
    public ConnectionSpec target() throws AuditException {
        try {
            return timeouts.apply(connection.spec(System.getenv()), longest(java.time.Duration.ZERO));
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * @return shadow options from {@code --shadow}/{@code --shadow-url}, without the target's major
     * @throws AuditException (exit 2) for an unknown kind or a malformed URL
     */
    public io.driftwatch.dialect.ShadowOptions shadowOptions() throws AuditException {
        try {
            return shadow.options(System.getenv(), timeouts, longest(java.time.Duration.ZERO));
        } catch (IllegalArgumentException e) {
            throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /** @return the longer of {@code --statement-timeout} and {@code other} */
    private java.time.Duration longest(java.time.Duration other) {
        java.time.Duration statement = timeouts.statement();
        return other.compareTo(statement) > 0 ? other : statement;
    }

    /**
     * @return the snapshot file named by {@code --expected}, or null
     * @throws IllegalArgumentException when {@code --expected} is not a snapshot source
     */
    private Path expectedSnapshot() {
        if (expected == null) {
            return null;
        }
        String e = expected.trim();
        Path file = e.startsWith("snapshot:") ? Path.of(e.substring("snapshot:".length()))
                : e.endsWith(".json") ? Path.of(e) : null;
        if (file == null) {
            throw new IllegalArgumentException("--expected '" + ConnectionSpec.maskUrl(expected)
                    + "' is not a snapshot: pass snapshot:FILE or a FILE.json written by driftwatch inspect "
                    + "(migrations are given with --migrations)");
        }
        return file;
    }
}
