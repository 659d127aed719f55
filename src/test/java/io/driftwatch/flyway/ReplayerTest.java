package io.driftwatch.flyway;

import io.driftwatch.tool.ReplayException;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.driftwatch.flyway.MigrationScannerTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ReplayerTest {

    private final MigrationScanner scanner = new MigrationScanner();
    private final Replayer replayer = new Replayer();

    private static List<String> column(ShadowDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void replaysConcurrentIndexRepeatableAndPlaceholders(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), "CREATE TABLE ${prefix}orders (id int PRIMARY KEY, status text);\n");
        write(dir.resolve("sub/V2__index.sql"), "CREATE INDEX CONCURRENTLY orders_status ON ${prefix}orders (status);\n");
        write(dir.resolve("sub/V2__index.sql.conf"), "executeInTransaction=false\n");
        write(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW open_orders AS SELECT * FROM ${prefix}orders"
                + " WHERE status = 'open';\n");
        MigrationSet set = scanner.scan(List.of(dir), Map.of("prefix", "shop_"));

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> replayer.replay(db, set.migrations(),
                    new ReplaySettings(List.of(), null, null, Map.of("prefix", "shop_"))));

            assertEquals(List.of("open_orders", "shop_orders"), column(db,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r','v')"
                            + " AND relname <> 'flyway_schema_history' ORDER BY 1"));
            assertEquals(List.of("CREATE INDEX orders_status ON public.shop_orders USING btree (status)"),
                    column(db, "SELECT indexdef FROM pg_indexes WHERE indexname = 'orders_status'"));
            assertEquals(List.of("1|V1__init.sql", "2|sub/V2__index.sql", "null|R__views.sql"),
                    column(db, "SELECT coalesce(version, 'null') || '|' || script FROM flyway_schema_history"
                            + " ORDER BY installed_rank"));
        }
    }

    @Test
    void schemasDefaultSchemaAndTableAreHonoured(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), "CREATE TABLE t (id int);\n");
        MigrationSet set = scanner.scan(List.of(dir), Map.of());

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            replayer.replay(db, set.migrations(), new ReplaySettings(List.of("app", "audit"), "app", "my_history",
                    Map.of()));

            assertEquals(List.of("app.my_history", "app.t"), column(db,
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname IN ('app', 'audit', 'public') AND c.relkind = 'r' ORDER BY 1"));
            assertEquals(List.of("audit"), column(db, "SELECT nspname FROM pg_namespace WHERE nspname = 'audit'"));
        }
    }

    @Test
    void failingScriptNamesScriptServerMessageAndSqlState(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), "CREATE TABLE t (id int);\n");
        write(dir.resolve("V7__add_index.sql"), "CREATE INDEX t_foo ON t (foo);\n");
        MigrationSet set = scanner.scan(List.of(dir), Map.of());

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            ReplayException e = assertThrows(ReplayException.class,
                    () -> replayer.replay(db, set.migrations(), ReplaySettings.defaults()));
            assertEquals("V7__add_index.sql failed to replay: ERROR: column \"foo\" does not exist (SQLState 42703)",
                    e.getMessage());
            assertEquals("V7__add_index.sql", e.script());
            assertEquals("42703", e.sqlState());
        }
    }

    @Test
    void missingPlaceholderNamesTheScript(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), "CREATE TABLE ${nope} (id int);\n");
        MigrationSet set = scanner.scan(List.of(dir), Map.of());

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            ReplayException e = assertThrows(ReplayException.class,
                    () -> replayer.replay(db, set.migrations(), ReplaySettings.defaults()));
            assertEquals("V1__init.sql failed to replay: No value provided for placeholder: ${nope}."
                    + "  Check your configuration!", e.getMessage());
            assertNull(e.sqlState());
        }
    }

    @Test
    void replayingASubsetCreatesOnlyItsObjects(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__a.sql"), "CREATE TABLE a (id int);\n");
        write(dir.resolve("V2__b.sql"), "CREATE TABLE b (id int);\n");
        write(dir.resolve("V3__c.sql"), "CREATE TABLE c (id int);\n");
        write(dir.resolve("R__v.sql"), "CREATE OR REPLACE VIEW v AS SELECT id FROM a;\n");
        MigrationSet set = scanner.scan(List.of(dir), Map.of());
        List<ResolvedMigration> subset = List.of(set.migrations().get(0), set.migrations().get(2),
                set.migrations().get(3));

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            replayer.replay(db, subset, ReplaySettings.defaults());

            assertEquals(List.of("a", "c", "v"), column(db,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r','v')"
                            + " AND relname <> 'flyway_schema_history' ORDER BY 1"));
        }
    }
}
