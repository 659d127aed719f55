package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.flyway.FlywaySettings;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.tool.MigrationTools;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.snapshot.Snapshot;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.source.Source;
import io.driftwatch.source.SourceLoader;
import io.driftwatch.source.SourceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch inspect SOURCE [--out FILE]}: writes a snapshot of any source (live database,
 * {@code migrations:DIR[@VERSION]}, or another snapshot) as JSON; format in
 * {@link SnapshotCodec}. Same schema, same bytes (with {@code --no-timestamp}; otherwise only
 * {@code createdAt} differs). Exit 0 on success, else 2/3/4 as documented in {@link ExitCode}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Write a snapshot of a schema: the full model as JSON, with the server version, the time, "
                        + "the source (no password) and a content hash.",
                "",
                "SOURCE is a database URL (read only), migrations:DIR[@VERSION] (replayed into a shadow "
                        + "database) or snapshot:FILE.json. The same schema always gives the same bytes "
                        + "(use --no-timestamp for files kept in git)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  driftwatch inspect postgresql://auditor@db:5432/shop --out prod.json",
                "  driftwatch inspect migrations:db/migration@16 --no-timestamp \\",
                "                     --out schema/v16.json",
                "",
                "Exit codes: 0 written, 2 usage or configuration error,",
                "  3 database unreachable, 4 migrations failed to replay, 6 --out cannot be written."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "Database URL, migrations:DIR[@VERSION] or snapshot:FILE.json.")
    String source;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE",
            description = "Write the snapshot here (atomically). Default: standard output.")
    Path out;

    @Option(names = "--no-timestamp",
            description = "Write \"createdAt\": null, so an unchanged schema gives a byte-identical file.")
    boolean noTimestamp;

    @Mixin
    SourceFlags flags;

    @Mixin
    ShadowMixin shadow;

    @Mixin
    OutputMixin output;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        SourceOptions options = flags.options(shadow, env);
        Source src = flags.parse(source, "SOURCE", env);
        AuditListener listener = CliSupport.listener(System.err, output.progress(), output.quiet);
        SchemaModel model;
        try (SourceLoader loader = new SourceLoader(options, listener)) {
            model = loader.load(src);
        }
        Snapshot snapshot = Snapshot.of(model, src.display(),
                noTimestamp ? null : Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (out == null) {
            System.out.print(SnapshotCodec.write(snapshot));
            System.out.flush();
        } else {
            SnapshotCodec.write(snapshot, out);
            if (!output.quiet) {
                System.out.println("snapshot: " + out + " (" + model.objectCount() + " objects in "
                        + model.schemas().size() + " schemas, " + snapshot.contentHash() + ")");
            }
        }
        return ExitCode.CLEAN.code();
    }

    /**
     * Flags shared by {@code inspect} and {@code diff}: credentials for database sources, Flyway
     * settings for {@code migrations:} sources, scope and timeouts.
     */
    static final class SourceFlags {

        @Option(names = "--user", paramLabel = "ROLE",
                description = "Role for database sources whose URL names none. Default: PGUSER.")
        String user;

        @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
                description = "Password for database sources; give the flag alone to be prompted. "
                        + "Prefer PGPASSWORD. Never printed.")
        char[] password;

        @Mixin
        FlywayMixin flyway;

        @Option(names = "--python", paramLabel = "PATH",
                description = "Python that can import alembic, for migrations: folders holding an alembic.ini. "
                        + "Default: python3 on PATH, then /usr/bin/python3.")
        String python;

        @Mixin
        ScopeMixin scope;

        @Option(names = "--history-table", paramLabel = "TABLE",
                description = "Flyway version table, never part of a schema. Default: flyway_schema_history "
                        + "(or 'table' from the Flyway config).")
        String historyTable;

        @Mixin
        TimeoutMixin timeouts;

        /**
         * @param shadow the command's shadow flags
         * @param env    environment
         * @return validated options
         * @throws AuditException (exit 2) for a bad flag or Flyway config
         */
        SourceOptions options(ShadowMixin shadow, Map<String, String> env) throws AuditException {
            try {
                FlywaySettings flyway = this.flyway.settings();
                Map<String, String> ph = this.flyway.placeholders(flyway);
                String table = historyTable != null ? historyTable
                        : flyway != null ? flyway.historyTable() : "flyway_schema_history";
                ShadowOptions shadowOptions = shadow.options(env, timeouts, timeouts.statement());
                MigrationTools flywayFolders = FlywayTool.folders(ph, flyway != null ? flyway.schemas() : List.of(),
                        flyway != null ? flyway.defaultSchema() : null, table);
                MigrationTools tools = dir -> {
                    // a folder holding an Alembic project is Alembic's (alembic.ini, Flask-Migrate's layout)
                    if (dir.toString().endsWith(".ini") || Files.isRegularFile(dir.resolve("alembic.ini"))
                            || Files.isRegularFile(dir.resolve("migrations").resolve("alembic.ini"))) {
                        AlembicMixin alembic = new AlembicMixin();
                        alembic.python = python;
                        try {
                            return alembic.tool(dir, historyTable, null, env);
                        } catch (IllegalArgumentException e) {
                            throw new io.driftwatch.tool.MigrationException(e.getMessage(), e);
                        }
                    }
                    return flywayFolders.forFolder(dir);
                };
                return new SourceOptions(PostgresDialect.INSTANCE, tools, scope.schemas, scope.excludes, null, table,
                        shadowOptions, timeouts.lock(),
                        timeouts.statement(), scope.withPrivileges, scope.withOwners, scope.roleMap());
            } catch (IllegalArgumentException e) {
                throw new AuditException(ExitCode.USAGE, e.getMessage(), e);
            }
        }

        /**
         * @return the Flyway placeholders of {@code --flyway-config} and {@code --placeholder}
         * @throws AuditException (exit 2) when the Flyway config cannot be read
         */
        java.util.Map<String, String> placeholders() throws AuditException {
            return flyway.placeholders(flyway.settings());
        }

        /**
         * @param text the source string
         * @param what the flag or parameter it came from, for the message ({@code --from}, {@code SOURCE})
         * @param env  environment
         * @return the source
         * @throws AuditException (exit 2) listing the accepted forms
         */
        Source parse(String text, String what, Map<String, String> env) throws AuditException {
            try {
                Source s = Source.parse(text, PostgresDialect.INSTANCE, user, password == null ? null
                        : new String(password), env);
                return s instanceof Source.Database d
                        ? new Source.Database(timeouts.apply(ConnectionSpec.of(d.spec()), timeouts.statement())) : s;
            } catch (IllegalArgumentException e) {
                throw new AuditException(ExitCode.USAGE, what + ": " + e.getMessage(), e);
            }
        }
    }
}
