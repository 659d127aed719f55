package io.driftwatch.flyway;

import io.driftwatch.tool.ReplayException;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.base.Owner;
import io.driftwatch.dialect.ShadowDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Replays exactly the given migration scripts into a shadow database with Flyway {@code migrate}, so the
 * server itself builds the schema the scripts describe.
 *
 * <p>The scripts (and their sidecar {@code <script>.conf} files, e.g. {@code executeInTransaction=false})
 * are copied into a temporary folder, keeping each script's path relative to its location, so Flyway sees
 * nothing else; the folder is deleted afterwards. Its name carries this process's {@link Owner} tag, and
 * each replay first removes the folders of runs that died on this host before deleting theirs (SIGKILL).
 * Flyway runs with: PostgreSQL transactional lock off
 * (under it {@code CREATE INDEX CONCURRENTLY} waits forever), {@code outOfOrder=true},
 * {@code validateOnMigrate=false}, {@code validateMigrationNaming=true}, {@code createSchemas=true},
 * {@code cleanDisabled=true}, the given schemas, default schema, table and placeholders, and its logging
 * silenced ({@link QuietFlywayLogCreator}). Flyway's connections come from {@link ShadowDatabase#connect()}
 * (connect and login timeouts) without a socket timeout ({@link ShadowDataSource}).
 */
public final class Replayer {

    /** Prefix of the replay's temporary folders: {@code driftwatch-replay-<owner tag>_<random>}. */
    public static final String TEMP_PREFIX = "driftwatch-replay-";

    private final Consumer<String> notes;

    /** Creates a replayer whose notes (folders swept) go nowhere; it holds no state between calls. */
    public Replayer() {
        this(line -> { });
    }

    /**
     * @param notes receives one line when a replay removed temporary folders of runs that died on this host
     */
    public Replayer(Consumer<String> notes) {
        this.notes = notes;
    }

    /**
     * @param db       the shadow database (normally empty)
     * @param scripts  scripts to apply, as resolved by {@link MigrationScanner}; Flyway orders them
     *                 (versioned by version, then repeatables); an empty list does nothing
     * @param settings schemas, default schema, version table and placeholders
     * @throws ReplayException one line: {@code <script> failed to replay: <server message> (SQLState <state>)}
     *         for a failing statement, {@code <script> failed to replay: <Flyway message>} for other
     *         per-script errors, or a message naming the shadow database when Flyway cannot run there or
     *         applied another number of migrations than given
     */
    public void replay(ShadowDatabase db, List<ResolvedMigration> scripts, ReplaySettings settings)
            throws ReplayException {
        if (scripts.isEmpty()) {
            return;
        }
        Owner.sweepTempFolders(TEMP_PREFIX, notes);
        Path temp;
        try {
            temp = Files.createTempDirectory(TEMP_PREFIX + Owner.current().tag() + "_");
        } catch (IOException e) {
            throw new ReplayException("cannot create a temporary folder for the replay: " + e.getMessage(),
                    null, null, e);
        }
        Map<String, String> staged = new LinkedHashMap<>();
        try {
            List<String> locations = stage(scripts, temp, staged);
            FluentConfiguration config = new FluentConfiguration(Replayer.class.getClassLoader())
                    .loggers(QuietFlywayLogCreator.class.getName())
                    .dataSource(new ShadowDataSource(db))
                    .locations(locations.toArray(String[]::new))
                    .failOnMissingLocations(true)
                    .outOfOrder(true)
                    .validateOnMigrate(false)
                    .validateMigrationNaming(true)
                    .createSchemas(true)
                    .cleanDisabled(true)
                    .placeholders(settings.placeholders());
            if (!settings.schemas().isEmpty()) {
                config.schemas(settings.schemas().toArray(String[]::new));
            }
            if (settings.defaultSchema() != null) {
                config.defaultSchema(settings.defaultSchema());
            }
            if (settings.table() != null) {
                config.table(settings.table());
            }
            Flyway flyway = config.load();
            flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
            MigrateResult result = flyway.migrate();
            if (!result.success || result.migrationsExecuted != scripts.size()) {
                throw new ReplayException("replay into shadow database " + db.name() + " applied "
                        + result.migrationsExecuted + " of " + scripts.size() + " migrations", null, null, null);
            }
        } catch (FlywayException e) {
            throw translate(e, db, staged);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Copies the scripts into {@code temp/l<n>/<script>} (one folder per original location) and records
     * each copy's absolute path with its script name in {@code staged}.
     */
    private static List<String> stage(List<ResolvedMigration> scripts, Path temp, Map<String, String> staged)
            throws ReplayException {
        Map<Path, Path> locationFolders = new LinkedHashMap<>();
        for (ResolvedMigration m : scripts) {
            Path source = Paths.get(m.physicalPath());
            Path root = locationOf(source, m.script());
            Path folder = locationFolders.computeIfAbsent(root, r -> temp.resolve("l" + locationFolders.size()));
            Path target = folder.resolve(m.script());
            try {
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
                staged.put(target.toAbsolutePath().toString(), m.script());
                Path sidecar = source.resolveSibling(source.getFileName() + ".conf");
                if (Files.isRegularFile(sidecar)) {
                    Files.copy(sidecar, target.resolveSibling(target.getFileName() + ".conf"));
                }
            } catch (IOException e) {
                throw new ReplayException(m.script() + " cannot be copied for the replay: " + e.getMessage(),
                        m.script(), null, e);
            }
        }
        List<String> out = new ArrayList<>();
        locationFolders.values().forEach(f -> out.add("filesystem:" + f.toAbsolutePath()));
        return out;
    }

    /** @return the folder the script name is relative to ({@code /m/sub/V1.sql} with {@code sub/V1.sql} gives {@code /m}) */
    private static Path locationOf(Path source, String script) {
        Path root = source.toAbsolutePath();
        int depth = Paths.get(script).getNameCount();
        for (int i = 0; i < depth && root.getParent() != null; i++) {
            root = root.getParent();
        }
        return root;
    }

    private static ReplayException translate(FlywayException e, ShadowDatabase db, Map<String, String> staged) {
        String script = null;
        SQLException sql = null;
        Integer line = null;
        String statement = null;
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (script == null && t instanceof FlywayMigrateException fm && fm.getMigration() != null) {
                script = fm.getMigration().getScript();
            }
            if (t instanceof FlywaySqlScriptException fs) {
                if (script == null && fs.getResource() != null) {
                    script = fs.getResource().getRelativePath();
                }
                if (fs.getLineNumber() > 0) {
                    line = fs.getLineNumber();
                }
                statement = statement != null ? statement : fs.getStatement();
            }
            if (sql == null && t instanceof SQLException s) {
                sql = s;
            }
            if (t.getMessage() != null) {
                deepest = t;
            }
        }
        if (script != null && sql != null) {
            return new ReplayException(script + " failed to replay: " + MigrationScanner.firstLine(sql.getMessage())
                    + " (SQLState " + sql.getSQLState() + ")", script, sql.getSQLState(), line, statement, e);
        }
        if (script == null && e.getMessage() != null) {
            // parser and placeholder errors name the staged copy's path, not the migration
            for (Map.Entry<String, String> s : staged.entrySet()) {
                if (e.getMessage().contains(s.getKey())) {
                    script = s.getValue();
                    break;
                }
            }
        }
        if (script != null) {
            return new ReplayException(script + " failed to replay: "
                    + MigrationScanner.firstLine(deepest.getMessage()), script, null, e);
        }
        String state = sql == null ? null : sql.getSQLState();
        return new ReplayException("replay into shadow database " + db.name() + " failed: "
                + MigrationScanner.firstLine(sql != null ? sql.getMessage() : e.getMessage())
                + (state == null ? "" : " (SQLState " + state + ")"), null, state, e);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp folder left behind is harmless
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
