package io.driftwatch.source;

import io.driftwatch.dialect.Dialect;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.tool.MigrationTools;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link SourceLoader} reads sources: the database engine, the migration projects of
 * {@code migrations:} sources, scope, the shadow server, and the timeouts for live reads.
 *
 * @param dialect          the database engine (reader, shadow servers)
 * @param tools            makes the migration project of a {@code migrations:DIR} folder (tool, settings)
 * @param schemas          schemas to read; empty: every non-system schema (snapshots: every schema in the file)
 * @param excludes         globs over qualified names to leave out (see {@link SchemaFilter})
 * @param historySchema    schema of the version table, never part of a model; null: any schema
 * @param historyTable     name of the version table, e.g. {@code flyway_schema_history}
 * @param shadow           where the shadow server for {@code migrations:} sources comes from; its
 *                         target major and target are filled in by the loader
 * @param lockTimeout      {@code lock_timeout} for catalog reads, null for the dialect's default
 * @param statementTimeout {@code statement_timeout} for catalog reads, null for the dialect's default
 * @param withPrivileges   read privileges ({@code --with-privileges})
 * @param withOwners       read owners ({@code --with-owners})
 * @param roleMap          role name as read → role name reported ({@code --role-map})
 */
public record SourceOptions(Dialect dialect, MigrationTools tools, List<String> schemas, List<String> excludes,
                            String historySchema, String historyTable, ShadowOptions shadow, Duration lockTimeout,
                            Duration statementTimeout, boolean withPrivileges, boolean withOwners,
                            Map<String, String> roleMap) {

    public SourceOptions {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(tools, "tools");
        roleMap = Map.copyOf(roleMap);
        schemas = List.copyOf(schemas);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(historyTable, "historyTable");
        Objects.requireNonNull(shadow, "shadow");
    }

    /**
     * @param dialect      the database engine
     * @param tools        the migration projects of {@code migrations:} folders
     * @param historyTable the version table's name
     * @return every schema, no excludes, the automatic shadow, default timeouts, no privileges or owners
     */
    public static SourceOptions defaults(Dialect dialect, MigrationTools tools, String historyTable) {
        return new SourceOptions(dialect, tools, List.of(), List.of(), null, historyTable,
                ShadowOptions.of(ShadowKind.AUTO, null), null, null, false, false, Map.of());
    }

    /** @return a copy with another shadow */
    public SourceOptions withShadow(ShadowOptions other) {
        return new SourceOptions(dialect, tools, schemas, excludes, historySchema, historyTable, other, lockTimeout,
                statementTimeout, withPrivileges, withOwners, roleMap);
    }

    /** @return a copy with another migration project factory */
    public SourceOptions withTools(MigrationTools other) {
        return new SourceOptions(dialect, other, schemas, excludes, historySchema, historyTable, shadow, lockTimeout,
                statementTimeout, withPrivileges, withOwners, roleMap);
    }

    /** @return a copy with another scope */
    public SourceOptions withScope(List<String> otherSchemas, List<String> otherExcludes) {
        return new SourceOptions(dialect, tools, otherSchemas, otherExcludes, historySchema, historyTable, shadow,
                lockTimeout, statementTimeout, withPrivileges, withOwners, roleMap);
    }

    /** @return a copy with other timeouts */
    public SourceOptions withTimeouts(Duration lock, Duration statement) {
        return new SourceOptions(dialect, tools, schemas, excludes, historySchema, historyTable, shadow, lock,
                statement, withPrivileges, withOwners, roleMap);
    }

    /** @return a copy with privileges, owners and role map set */
    public SourceOptions withAccess(boolean privileges, boolean owners, Map<String, String> roles) {
        return new SourceOptions(dialect, tools, schemas, excludes, historySchema, historyTable, shadow, lockTimeout,
                statementTimeout, privileges, owners, roles);
    }

    /** @return the filter every source is read with */
    public SchemaFilter filter() {
        return new SchemaFilter(schemas, excludes, historySchema, historyTable)
                .withAccess(withPrivileges, withOwners, roleMap);
    }
}
