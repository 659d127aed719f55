package io.driftwatch.audit;

import io.driftwatch.cache.ModelCache;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.policy.Severity;
import io.driftwatch.tool.MigrationTool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an audit needs, already validated by the CLI. The engine and the migration tool are
 * the two seams ({@link Dialect}, {@link MigrationTool}); the CLI picks their wings.
 *
 * @param dialect          the database engine's wing (e.g. PostgreSQL)
 * @param target           the audited database (read only)
 * @param tool             the migration project (Flyway, Alembic, …); null only with {@code expectedSnapshot}
 *                         (then the version table is not checked)
 * @param schemas          schemas to audit; empty: every non-system schema
 * @param excludes         glob patterns of qualified names to ignore
 * @param shadow           how to obtain the shadow server
 * @param failOn           threshold for exit code 1; null means never
 * @param lockTimeout      {@code lock_timeout} for reads of the target
 * @param statementTimeout {@code statement_timeout} for reads of the target
 * @param expectedSnapshot a snapshot file ({@code driftwatch inspect}) to use as the expected schema
 *                         instead of replaying the migrations, or null
 * @param withPrivileges   compare GRANTs and default privileges ({@code --with-privileges})
 * @param withOwners       compare owners ({@code --with-owners})
 * @param roleMap          live role name → expected role name ({@code --role-map prod_app=app})
 * @param cache            where replayed expected models are cached ({@code --cache-dir}), or null to
 *                         always replay ({@code --no-cache}; the default for callers other than the CLI)
 */
public record AuditOptions(Dialect dialect, DatabaseTarget target, MigrationTool tool, List<String> schemas,
                           List<String> excludes, ShadowOptions shadow, Severity failOn, Duration lockTimeout,
                           Duration statementTimeout, Path expectedSnapshot, boolean withPrivileges,
                           boolean withOwners, Map<String, String> roleMap, ModelCache cache) {

    public AuditOptions {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(target, "target");
        if (tool == null && expectedSnapshot == null) {
            throw new IllegalArgumentException("an audit needs migrations or an expected snapshot");
        }
        schemas = List.copyOf(schemas);
        excludes = List.copyOf(excludes);
        roleMap = Map.copyOf(roleMap);
    }

    /** Options without privileges, owners, role map, snapshot or cache. */
    public AuditOptions(Dialect dialect, DatabaseTarget target, MigrationTool tool, List<String> schemas,
                        List<String> excludes, ShadowOptions shadow, Severity failOn, Duration lockTimeout,
                        Duration statementTimeout) {
        this(dialect, target, tool, schemas, excludes, shadow, failOn, lockTimeout, statementTimeout, null, false,
                false, Map.of(), null);
    }

    /**
     * @param privileges compare privileges
     * @param owners     compare owners
     * @param roles      role renames (live → expected)
     * @return a copy with those settings
     */
    public AuditOptions withAccess(boolean privileges, boolean owners, Map<String, String> roles) {
        return new AuditOptions(dialect, target, tool, schemas, excludes, shadow, failOn, lockTimeout,
                statementTimeout, expectedSnapshot, privileges, owners, roles, cache);
    }

    /**
     * @param modelCache the expected-model cache to read and write, or null to always replay
     * @return a copy with that cache
     */
    public AuditOptions withCache(ModelCache modelCache) {
        return new AuditOptions(dialect, target, tool, schemas, excludes, shadow, failOn, lockTimeout,
                statementTimeout, expectedSnapshot, withPrivileges, withOwners, roleMap, modelCache);
    }

    /**
     * @param snapshot a snapshot to read the expected schema from, or null
     * @return a copy with it
     */
    public AuditOptions withExpectedSnapshot(Path snapshot) {
        return new AuditOptions(dialect, target, tool, schemas, excludes, shadow, failOn, lockTimeout,
                statementTimeout, snapshot, withPrivileges, withOwners, roleMap, cache);
    }

    /**
     * @param migrations the migration project
     * @return a copy with it
     */
    public AuditOptions withTool(MigrationTool migrations) {
        return new AuditOptions(dialect, target, migrations, schemas, excludes, shadow, failOn, lockTimeout,
                statementTimeout, expectedSnapshot, withPrivileges, withOwners, roleMap, cache);
    }
}
