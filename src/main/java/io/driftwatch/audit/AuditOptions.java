package io.driftwatch.audit;

import io.driftwatch.cache.ModelCache;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything an audit needs, already validated by the CLI.
 *
 * @param target           the audited database (read only)
 * @param migrations       migration folders, scanned in order
 * @param placeholders     Flyway placeholders ({@code ${name}} in scripts)
 * @param flywaySchemas    Flyway's {@code schemas} setting (created by the replay), may be empty
 * @param historySchema    schema of the version table; null: Flyway's default schema
 *                         (first of {@code flywaySchemas}, else the target's {@code current_schema()})
 * @param historyTable     version table name, default {@code flyway_schema_history}
 * @param schemas          schemas to audit; empty: every non-system schema
 * @param excludes         glob patterns of qualified names to ignore
 * @param shadow           how to obtain the shadow server
 * @param failOn           threshold for exit code 1; null means never
 * @param lockTimeout      {@code lock_timeout} for reads of the target
 * @param statementTimeout {@code statement_timeout} for reads of the target
 * @param expectedSnapshot a snapshot file ({@code driftwatch inspect}) to use as the expected schema
 *                         instead of replaying the migrations, or null; with it, {@code migrations}
 *                         may be empty (then the version table is not checked)
 * @param withPrivileges   compare GRANTs and default privileges ({@code --with-privileges})
 * @param withOwners       compare owners ({@code --with-owners})
 * @param roleMap          live role name → expected role name ({@code --role-map prod_app=app})
 * @param cache            where replayed expected models are cached ({@code --cache-dir}), or null to
 *                         always replay ({@code --no-cache}; the default for callers other than the CLI)
 */
public record AuditOptions(ConnectionSpec target, List<Path> migrations, Map<String, String> placeholders,
                           List<String> flywaySchemas, String historySchema, String historyTable,
                           List<String> schemas, List<String> excludes, ShadowOptions shadow,
                           Severity failOn, Duration lockTimeout, Duration statementTimeout,
                           Path expectedSnapshot, boolean withPrivileges, boolean withOwners,
                           Map<String, String> roleMap, ModelCache cache) {

    /** Options without an expected-model cache. */
    public AuditOptions(ConnectionSpec target, List<Path> migrations, Map<String, String> placeholders,
                        List<String> flywaySchemas, String historySchema, String historyTable,
                        List<String> schemas, List<String> excludes, ShadowOptions shadow,
                        Severity failOn, Duration lockTimeout, Duration statementTimeout,
                        Path expectedSnapshot, boolean withPrivileges, boolean withOwners,
                        Map<String, String> roleMap) {
        this(target, migrations, placeholders, flywaySchemas, historySchema, historyTable, schemas, excludes,
                shadow, failOn, lockTimeout, statementTimeout, expectedSnapshot, withPrivileges, withOwners, roleMap,
                null);
    }

    /** Options without privileges, owners or role map. */
    public AuditOptions(ConnectionSpec target, List<Path> migrations, Map<String, String> placeholders,
                        List<String> flywaySchemas, String historySchema, String historyTable,
                        List<String> schemas, List<String> excludes, ShadowOptions shadow,
                        Severity failOn, Duration lockTimeout, Duration statementTimeout, Path expectedSnapshot) {
        this(target, migrations, placeholders, flywaySchemas, historySchema, historyTable, schemas, excludes,
                shadow, failOn, lockTimeout, statementTimeout, expectedSnapshot, false, false, Map.of());
    }

    /**
     * @param privileges compare privileges
     * @param owners     compare owners
     * @param roles      role renames (live → expected)
     * @return a copy with those settings
     */
    public AuditOptions withAccess(boolean privileges, boolean owners, Map<String, String> roles) {
        return new AuditOptions(target, migrations, placeholders, flywaySchemas, historySchema, historyTable, schemas,
                excludes, shadow, failOn, lockTimeout, statementTimeout, expectedSnapshot, privileges, owners, roles,
                cache);
    }

    /**
     * @param modelCache the expected-model cache to read and write, or null to always replay
     * @return a copy with that cache
     */
    public AuditOptions withCache(ModelCache modelCache) {
        return new AuditOptions(target, migrations, placeholders, flywaySchemas, historySchema, historyTable, schemas,
                excludes, shadow, failOn, lockTimeout, statementTimeout, expectedSnapshot, withPrivileges, withOwners,
                roleMap, modelCache);
    }

    /** Options whose expected schema is replayed from {@code migrations} (no snapshot). */
    public AuditOptions(ConnectionSpec target, List<Path> migrations, Map<String, String> placeholders,
                        List<String> flywaySchemas, String historySchema, String historyTable,
                        List<String> schemas, List<String> excludes, ShadowOptions shadow,
                        Severity failOn, Duration lockTimeout, Duration statementTimeout) {
        this(target, migrations, placeholders, flywaySchemas, historySchema, historyTable, schemas, excludes,
                shadow, failOn, lockTimeout, statementTimeout, null);
    }

    public AuditOptions {
        migrations = List.copyOf(migrations);
        placeholders = Map.copyOf(placeholders);
        flywaySchemas = List.copyOf(flywaySchemas);
        schemas = List.copyOf(schemas);
        excludes = List.copyOf(excludes);
        roleMap = Map.copyOf(roleMap);
    }
}
