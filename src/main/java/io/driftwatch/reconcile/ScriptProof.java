package io.driftwatch.reconcile;

import io.driftwatch.plan.Statement;
import io.driftwatch.flyway.QuietFlywayLogCreator;
import io.driftwatch.model.OneLine;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a SQL file Driftwatch hands out the way users run it, in a shadow database, and checks that what was
 * executed is exactly what was planned: the proof through the bytes behind a verified bridge ({@link Verifier})
 * and a verified stamp.
 *
 * <ul>
 *   <li>{@link #flyway}: real Flyway {@code migrate} of a folder holding only the file (and its
 *       {@code <script>.conf}), with the user's placeholders defined and placeholder replacement on; every
 *       statement Flyway sends is captured by a {@code beforeEachMigrateStatement} callback
 *       ({@link org.flywaydb.core.api.callback.Event#BEFORE_EACH_MIGRATE_STATEMENT}). Flyway keeps its history in
 *       a schema of its own, {@code dw_proof_<random>}, dropped afterwards.</li>
 *   <li>{@link #psql}: {@code psql -X -q -v ON_ERROR_STOP=1 -L <log> -f <file>}, with {@code PGCLIENTENCODING=UTF8}
 *       and no other {@code PG*} variable of the caller's environment; psql writes every query it sends to the
 *       server to the {@code -L} log ({@code ********* QUERY **********} blocks, then the command tag).</li>
 *   <li>{@link #compare} and {@link #compareLog}: the executed statements must be the expected ones, in order, each
 *       exactly {@code P + sql} where {@code P} is empty or a suffix of the statement's {@link Expected#lead()}
 *       starting at a line start (Flyway sends the comments before a statement with it; psql drops them); a lead
 *       is made of {@code --} comment lines and blank lines only, so {@code P} is inert.</li>
 * </ul>
 * Stateless; never pointed at an audited database.
 */
public final class ScriptProof {

    /** psql's {@code -L} block header and trailer ({@code src/bin/psql/common.c}, untranslated under LC_ALL=C). */
    static final String LOG_HEAD = "********* QUERY **********\n";
    static final String LOG_TAIL = "\n**************************\n\n";
    private static final Pattern COMMAND_TAG = Pattern.compile("[A-Z][A-Z ]*( [0-9]+)*");
    private static final long PSQL_TIMEOUT_MINUTES = 30;

    private ScriptProof() {
    }

    /**
     * One statement a script must execute.
     *
     * @param lead what the file holds between the previous executed statement (or its start) and this one: blank
     *             lines and {@code --} comment lines, each ending in LF
     * @param sql  the statement, exactly
     */
    public record Expected(String lead, String sql) {
    }

    /**
     * What a psql run did.
     *
     * @param exitCode psql's exit code (0 ok, 1 psql's own error, 2 connection lost, 3 a statement failed)
     * @param log      the {@code -L} log
     * @param error    the first {@code ERROR:} line psql printed (without psql's file/line prefix), or null
     * @param output   everything psql printed, for messages
     */
    public record PsqlRun(int exitCode, String log, String error, String output) {
    }

    /**
     * What a Flyway run did.
     *
     * @param executed the statements Flyway sent, in order
     * @param error    one line when the migrate failed, else null
     */
    public record FlywayRun(List<String> executed, String error) {
        public FlywayRun {
            executed = List.copyOf(executed);
        }
    }

    /**
     * Finds psql: in the shadow server's binary folder ({@link ShadowServer#binDir()}), {@code $PG_BIN},
     * {@code /usr/bin/psql}, each {@code PATH} entry, then {@code /usr/lib/postgresql/<major>/bin} (highest first).
     *
     * @param server the shadow server, may be null
     * @return the executable, or null when psql is not installed
     */
    public static Path findPsql(ShadowServer server) {
        List<Path> candidates = new ArrayList<>();
        if (server != null && server.binDir() != null) {
            candidates.add(server.binDir().resolve("psql"));
        }
        String pgBin = System.getenv("PG_BIN");
        if (pgBin != null && !pgBin.isBlank()) {
            candidates.add(Path.of(pgBin).resolve("psql"));
        }
        candidates.add(Path.of("/usr/bin/psql"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir).resolve("psql"));
                }
            }
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (var dirs = Files.list(lib)) {
                List<Path> majors = new ArrayList<>(dirs.toList());
                majors.sort(Collections.reverseOrder());
                majors.forEach(m -> candidates.add(m.resolve("bin").resolve("psql")));
            } catch (IOException ignored) {
                // no more candidates
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code file} with psql against {@code database} on {@code server}.
     *
     * @param psql     the executable ({@link #findPsql})
     * @param server   the shadow server
     * @param database a database on it Driftwatch may write to
     * @param file     the script
     * @return what happened
     * @throws IOException when psql cannot be started, or runs longer than 30 minutes (it is then killed)
     */
    public static PsqlRun psql(Path psql, ShadowServer server, String database, Path file) throws IOException {
        URI uri;
        try {
            uri = URI.create(server.jdbcUrl(database).substring("jdbc:".length()));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IOException("cannot tell psql how to reach " + server.description() + ": " + e.getMessage(), e);
        }
        if (uri.getHost() == null) {
            throw new IOException("cannot tell psql how to reach " + server.description() + ": no host in its URL");
        }
        Path log = Files.createTempFile("driftwatch-psql-", ".log");
        try {
            StringBuilder conninfo = new StringBuilder();
            conninfo.append("host=").append(conninfoValue(uri.getHost()))
                    .append(" port=").append(uri.getPort() > 0 ? uri.getPort() : 5432)
                    .append(" dbname=").append(conninfoValue(database))
                    .append(" user=").append(conninfoValue(server.user()));
            String sslmode = query(uri, "sslmode");
            if (sslmode != null) {
                conninfo.append(" sslmode=").append(conninfoValue(sslmode));
            }
            ProcessBuilder pb = new ProcessBuilder(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-L", log.toString(), "-f", file.toString(), "-d", conninfo.toString())
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("LC_") || k.equals("LANG")
                    || k.equals("LANGUAGE") || k.equals("PSQLRC") || k.equals("PSQL_HISTORY"));
            env.put("LC_ALL", "C");
            env.put("PGCLIENTENCODING", "UTF8");
            env.put("PGCONNECT_TIMEOUT", "30");
            env.put("PGAPPNAME", "driftwatch-proof");
            if (server.password() != null) {
                env.put("PGPASSWORD", server.password());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            boolean done;
            try {
                done = p.waitFor(PSQL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while psql ran " + file.getFileName(), e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("psql ran " + file.getFileName() + " for more than " + PSQL_TIMEOUT_MINUTES
                        + " minutes");
            }
            String output = new String(out, StandardCharsets.UTF_8);
            return new PsqlRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), firstError(output), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Runs Flyway {@code migrate} on {@code db} over {@code folder} (the script and its {@code .conf} only), with
     * {@code placeholders} defined and replacement on, Flyway's history in {@code dw_proof_<random>} (dropped
     * afterwards), transactional lock off, logging silenced.
     *
     * @param db           a database Driftwatch may write to
     * @param folder       the folder Flyway reads
     * @param placeholders the user's placeholders
     * @return the statements Flyway sent and, when the migrate failed, why
     * @throws SQLException when the history schema cannot be dropped afterwards
     */
    public static FlywayRun flyway(ShadowDatabase db, Path folder, Map<String, String> placeholders)
            throws SQLException {
        String schema = "dw_proof_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<String> executed = Collections.synchronizedList(new ArrayList<>());
        Callback capture = new Callback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.BEFORE_EACH_MIGRATE_STATEMENT;
            }

            @Override
            public boolean canHandleInTransaction(Event event, Context context) {
                return true;
            }

            @Override
            public void handle(Event event, Context context) {
                if (context.getStatement() != null) {
                    executed.add(context.getStatement().getSql());
                }
            }

            @Override
            public String getCallbackName() {
                return "driftwatch-proof";
            }
        };
        String error = null;
        try {
            Flyway flyway = Flyway.configure(ScriptProof.class.getClassLoader())
                    .loggers(QuietFlywayLogCreator.class.getName())
                    .dataSource(db.jdbcUrl(), db.server().user(), db.server().password())
                    .locations("filesystem:" + folder.toAbsolutePath())
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .schemas(schema)
                    .createSchemas(true)
                    .cleanDisabled(true)
                    .placeholderReplacement(true)
                    .placeholders(placeholders)
                    .encoding(StandardCharsets.ISO_8859_1)
                    .callbacks(capture)
                    .load();
            flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
            MigrateResult result = flyway.migrate();
            if (!result.success || result.migrationsExecuted != 1) {
                error = "Flyway applied " + result.migrationsExecuted + " of 1 migration";
            }
        } catch (FlywayException e) {
            error = "Flyway: " + deepest(e);
        }
        try (Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        return new FlywayRun(new ArrayList<>(executed), error);
    }

    /**
     * @param executed statements a tool sent, in order
     * @param expected the statements the file must execute
     * @param tool     the tool's name for the message, e.g. {@code Flyway}
     * @param complete true when the run finished (so the counts must agree), false after a failure (the executed
     *                 statements must then be a prefix of the expected ones)
     * @return null when they agree, else one line naming the first difference
     */
    public static String compare(List<String> executed, List<Expected> expected, String tool, boolean complete) {
        for (int i = 0; i < executed.size(); i++) {
            if (i >= expected.size()) {
                return tool + " executed " + executed.size() + " statements, the plan has " + expected.size()
                        + "; the extra one begins " + excerpt(executed.get(i));
            }
            if (!matches(executed.get(i), expected.get(i))) {
                return tool + " executed statement " + (i + 1) + " as " + excerpt(executed.get(i))
                        + ", not as planned: " + excerpt(expected.get(i).sql());
            }
        }
        if (complete && executed.size() < expected.size()) {
            return tool + " executed " + executed.size() + " statements, the plan has " + expected.size()
                    + "; missing: " + excerpt(expected.get(executed.size()).sql());
        }
        return null;
    }

    /**
     * Reads a psql {@code -L} log against the statements expected: each one's block, then one command-tag line
     * (e.g. {@code ALTER TABLE}, {@code INSERT 0 1}); after a failed statement (its block, no tag) the log ends.
     *
     * @param log      the log
     * @param expected the statements the file must execute
     * @param complete true when psql finished without error
     * @return null when psql sent exactly the expected statements (a prefix of them after an error), else one line
     */
    public static String compareLog(String log, List<Expected> expected, boolean complete) {
        int pos = 0;
        int i = 0;
        while (pos < log.length()) {
            if (!log.startsWith(LOG_HEAD, pos)) {
                return "psql's log has unexpected output after statement " + i + ": " + excerpt(log.substring(pos));
            }
            pos += LOG_HEAD.length();
            if (i >= expected.size()) {
                return "psql executed more statements than the plan's " + expected.size() + "; the extra one begins "
                        + excerpt(log.substring(pos));
            }
            int end = matchAt(log, pos, expected.get(i));
            if (end < 0) {
                return "psql executed statement " + (i + 1) + " as " + excerpt(log.substring(pos))
                        + ", not as planned: " + excerpt(expected.get(i).sql());
            }
            pos = end;
            i++;
            int nl = log.indexOf('\n', pos);
            if (nl < 0 || log.startsWith(LOG_HEAD, pos)) {
                if (complete) {
                    return "psql's log has no command tag after statement " + i;
                }
                if (nl < 0 && pos == log.length()) {
                    break;
                }
                continue;
            }
            String tag = log.substring(pos, nl);
            if (!COMMAND_TAG.matcher(tag).matches()) {
                return "psql's log shows unexpected output after statement " + i + ": " + excerpt(tag);
            }
            pos = nl + 1;
        }
        if (complete && i < expected.size()) {
            return "psql executed " + i + " statements, the plan has " + expected.size() + "; missing: "
                    + excerpt(expected.get(i).sql());
        }
        return null;
    }

    /** @return the position after {@code P + sql + LOG_TAIL} at {@code pos}, or -1 */
    private static int matchAt(String log, int pos, Expected e) {
        for (String p : prefixes(e.lead())) {
            String block = p + e.sql() + LOG_TAIL;
            if (log.startsWith(block, pos)) {
                return pos + block.length();
            }
        }
        return -1;
    }

    private static boolean matches(String executed, Expected e) {
        if (!executed.endsWith(e.sql())) {
            return false;
        }
        String p = executed.substring(0, executed.length() - e.sql().length());
        return prefixes(e.lead()).contains(p);
    }

    /** @return "" and every suffix of {@code lead} that starts at a line start, longest first */
    static List<String> prefixes(String lead) {
        List<String> out = new ArrayList<>();
        out.add(lead);
        for (int i = 0; i < lead.length(); i++) {
            if (lead.charAt(i) == '\n') {
                out.add(lead.substring(i + 1));
            }
        }
        if (!out.contains("")) {
            out.add("");
        }
        return out;
    }

    private static String firstError(String output) {
        for (String line : output.split("\n", -1)) {
            int at = line.indexOf("ERROR:");
            if (at >= 0) {
                return line.substring(at + "ERROR:".length()).trim();
            }
        }
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("psql: ") || line.contains("FATAL:")) {
                return line.trim();
            }
        }
        return null;
    }

    private static String deepest(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return OneLine.of(nl >= 0 ? message.substring(0, nl) : message).trim();
    }

    /**
     * @param s text
     * @return the start of {@code s}, at most 120 characters, on one line ({@link OneLine}), in single quotes
     */
    public static String excerpt(String s) {
        String one = OneLine.of(s);
        return "'" + (one.length() > 120 ? one.substring(0, 117) + "..." : one) + "'";
    }

    private static String conninfoValue(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String query(URI uri, String key) {
        String q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                params.put(kv.substring(0, eq).toLowerCase(Locale.ROOT),
                        java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params.get(key);
    }
}
