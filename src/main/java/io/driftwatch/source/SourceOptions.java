package io.driftwatch.source;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link SourceLoader} reads sources: scope, Flyway settings for {@code migrations:} sources,
 * the shadow server, and the timeouts for live reads.
 *
 * @param schemas          schemas to read; empty: every non-system schema (snapshots: every schema in the file)
 * @param excludes         globs over qualified names to leave out (see {@link SchemaFilter})
 * @param historySchema    schema of the Flyway version table, never part of a model; null: any schema
 * @param historyTable     name of the Flyway version table, default {@code flyway_schema_history}
 * @param placeholders     Flyway placeholders for {@code migrations:} sources
 * @param flywaySchemas    Flyway {@code schemas} for the replay (created when missing); may be empty
 * @param defaultSchema    Flyway {@code defaultSchema} for the replay, or null
 * @param shadow           where the shadow server for {@code migrations:} sources comes from; its
 *                         target major and target are filled in by the loader
 * @param lockTimeout      {@code lock_timeout} for catalog reads
 * @param statementTimeout {@code statement_timeout} for catalog reads
 * @param withPrivileges   read privileges ({@code --with-privileges})
 * @param withOwners       read owners ({@code --with-owners})
 * @param roleMap          role name as read → role name reported ({@code --role-map})
 */
public record SourceOptions(List<String> schemas, List<String> excludes, String historySchema, String historyTable,
                            Map<String, String> placeholders, List<String> flywaySchemas, String defaultSchema,
                            ShadowOptions shadow, Duration lockTimeout, Duration statementTimeout,
                            boolean withPrivileges, boolean withOwners, Map<String, String> roleMap) {

    /** Options that read neither privileges nor owners. */
    public SourceOptions(List<String> schemas, List<String> excludes, String historySchema, String historyTable,
                         Map<String, String> placeholders, List<String> flywaySchemas, String defaultSchema,
                         ShadowOptions shadow, Duration lockTimeout, Duration statementTimeout) {
        this(schemas, excludes, historySchema, historyTable, placeholders, flywaySchemas, defaultSchema, shadow,
                lockTimeout, statementTimeout, false, false, Map.of());
    }

    public SourceOptions {
        roleMap = Map.copyOf(roleMap);
        schemas = List.copyOf(schemas);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(historyTable, "historyTable");
        placeholders = Map.copyOf(placeholders);
        flywaySchemas = List.copyOf(flywaySchemas);
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
    }

    /**
     * @return every non-system schema, the standard version table, no placeholders, shadow
     *         {@code auto}, timeouts 5 s and 120 s
     */
    public static SourceOptions defaults() {
        return new SourceOptions(List.of(), List.of(), null, "flyway_schema_history", Map.of(), List.of(), null,
                ShadowOptions.of(ShadowKind.AUTO, null), PostgresCatalogReader.DEFAULT_LOCK_TIMEOUT,
                PostgresCatalogReader.DEFAULT_STATEMENT_TIMEOUT);
    }

    /** @return the same options with another shadow provider */
    public SourceOptions withShadow(ShadowOptions other) {
        return new SourceOptions(schemas, excludes, historySchema, historyTable, placeholders, flywaySchemas,
                defaultSchema, other, lockTimeout, statementTimeout, withPrivileges, withOwners, roleMap);
    }

    /** @return the same options with other Flyway placeholders */
    public SourceOptions withPlaceholders(Map<String, String> other) {
        return new SourceOptions(schemas, excludes, historySchema, historyTable, other, flywaySchemas,
                defaultSchema, shadow, lockTimeout, statementTimeout, withPrivileges, withOwners, roleMap);
    }

    /**
     * @param privileges read privileges
     * @param owners     read owners
     * @param roles      role renames (as read → reported)
     * @return the same options with those access settings
     */
    public SourceOptions withAccess(boolean privileges, boolean owners, Map<String, String> roles) {
        return new SourceOptions(schemas, excludes, historySchema, historyTable, placeholders, flywaySchemas,
                defaultSchema, shadow, lockTimeout, statementTimeout, privileges, owners, roles);
    }

    /** @return the catalog filter these options describe, with their privileges, owners and role map */
    public SchemaFilter filter() {
        return new SchemaFilter(schemas, excludes, historySchema, historyTable)
                .withAccess(withPrivileges, withOwners, roleMap);
    }
}
