package io.driftwatch.cli;

import io.driftwatch.model.Identifiers;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 part 1: what {@code driftwatch bridge} hands out is safe as bytes, run the way users run it. A table
 * named {@code p} + line break + {@code DROP TABLE public.invoices CASCADE;--} must not end a comment in the
 * file (header line, commented-out statement), and a table named {@code ${x}} must not turn into
 * {@code invoices} under Flyway's placeholder replacement. Each test runs the real command, then the written
 * file with psql twice and with Flyway (placeholder {@code x=invoices} defined, replacement on globally), and
 * checks that {@code invoices} still holds its rows.
 */
class BridgeBytesCommandTest {

    /** The migrations: the table that must survive, with rows inserted by the test. */
    private static final String V1 = "CREATE TABLE public.invoices (id integer PRIMARY KEY, amount integer NOT NULL);\n";

    private static Path migrations(Path work) throws Exception {
        Path m = Files.createDirectories(work.resolve("migrations"));
        Files.writeString(m.resolve("V1__invoices.sql"), V1);
        return m;
    }

    /** Migrates {@code db} with the scripts in {@code location}, placeholders {@code x=invoices} and replacement on. */
    static void flyway(ShadowDatabase db, Path location) {
        ShadowServer s = TestPostgres.server();
        Flyway flyway = Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + location).placeholders(Map.of("x", "invoices"))
                .placeholderReplacement(true).load();
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        flyway.migrate();
    }

    private static void exec(ShadowDatabase db, String... sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static List<String> rows(ShadowDatabase db, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> invoices(ShadowDatabase db) throws Exception {
        return rows(db, "SELECT coalesce(string_agg(id || ':' || amount, ',' ORDER BY id), '') FROM public.invoices");
    }

    private static List<String> tables(ShadowDatabase db) throws Exception {
        return rows(db, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
                + " AND relname <> 'flyway_schema_history' ORDER BY relname COLLATE \"C\"");
    }

    /** The target: Flyway-migrated, two rows in {@code invoices}, one hand-made table named {@code hostile}. */
    private static void setUp(ShadowDatabase db, Path migrations, String hostile) throws Exception {
        flyway(db, migrations);
        exec(db, "INSERT INTO public.invoices VALUES (1, 10), (2, 20)",
                "CREATE TABLE public." + Identifiers.quote(hostile) + " (a integer)");
    }

    /**
     * Runs {@code driftwatch bridge} on a target set up by {@link #setUp}, then the written file with psql twice on
     * it and with Flyway on a second target set up the same way; after each run {@code invoices} holds its rows
     * and the only table changed is the hostile one (dropped with {@code --allow-destructive}, else kept).
     */
    private static void bridgeAndRun(Path work, String hostile, boolean destructive) throws Exception {
        Path migrations = migrations(work);
        try (ShadowDatabase db = TestPostgres.newDatabase(); ShadowDatabase second = TestPostgres.newDatabase()) {
            setUp(db, migrations, hostile);
            setUp(second, migrations, hostile);
            Path out = Files.createDirectories(work.resolve("bridge"));
            List<String> args = new ArrayList<>(List.of("--placeholder", "x=invoices"));
            if (destructive) {
                args.add("--allow-destructive");
            }
            CliRun r = BridgeCommandTest.bridge(db, migrations, out, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.all());
            Path file = out.resolve("V2__driftwatch_bridge.sql");
            assertTrue(Files.exists(file), r.all());
            assertTrue(r.out().startsWith("verified bridge: "), r.all());
            String sql = Files.readString(file, StandardCharsets.UTF_8);
            Path conf = out.resolve("V2__driftwatch_bridge.sql.conf");

            List<String> before = tables(db);
            assertTrue(before.contains(hostile) && before.contains("invoices"), before.toString());
            List<String> after = new ArrayList<>(before);
            if (destructive) {
                after.remove(hostile);
            }
            for (int run = 1; run <= 2; run++) { // psql, twice, the way docs/bridge.md says
                BridgeCommandTest.psql(db, file);
                assertEquals(List.of("1:10,2:20"), invoices(db), "psql run " + run + " of\n" + sql);
                assertEquals(after, tables(db), "psql run " + run + " of\n" + sql);
            }
            // Flyway, with the file and its sidecar next to the migrations, x=invoices defined
            Path withBridge = Files.createDirectories(work.resolve("with-bridge"));
            Files.copy(migrations.resolve("V1__invoices.sql"), withBridge.resolve("V1__invoices.sql"));
            Files.copy(file, withBridge.resolve(file.getFileName()));
            if (Files.exists(conf)) {
                Files.copy(conf, withBridge.resolve(conf.getFileName()));
            }
            flyway(second, withBridge);
            assertEquals(List.of("1:10,2:20"), invoices(second), "Flyway run of\n" + sql);
            assertEquals(after, tables(second), "Flyway run of\n" + sql);
            assertTrue(Files.readString(conf).contains("placeholderReplacement=false"), Files.readString(conf));
            for (String line : r.all().split("\n", -1)) {
                assertFalse(line.startsWith("DROP TABLE"), "no name forges an output line: " + r.all());
            }
        }
    }

    @Test
    void lineFeedInATableNameCannotEndAHeaderComment(@TempDir Path work) throws Exception {
        bridgeAndRun(work, "p\nDROP TABLE public.invoices CASCADE;--", false);
    }

    @Test
    void carriageReturnInATableNameCannotEndACommentedOutStatement(@TempDir Path work) throws Exception {
        bridgeAndRun(work, "p\rDROP TABLE public.invoices CASCADE;--", false);
    }

    @Test
    void everyLineTerminatorIsNeutralised(@TempDir Path work) throws Exception {
        bridgeAndRun(work, "p\r\n\u000b\u000c\u0085\u2028\u2029*/DROP TABLE public.invoices CASCADE;--", false);
    }

    @Test
    void placeholderInATableNameIsTakenLiterallyByFlyway(@TempDir Path work) throws Exception {
        bridgeAndRun(work, "${x}", true);
    }
}
