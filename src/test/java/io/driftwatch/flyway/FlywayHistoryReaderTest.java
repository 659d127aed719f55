package io.driftwatch.flyway;

import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.driftwatch.flyway.MigrationScannerTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlywayHistoryReaderTest {

    private final FlywayHistoryReader reader = new FlywayHistoryReader();

    @Test
    void readsWhatFlywayWrote(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), "CREATE TABLE t (id int);\n");
        write(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT id FROM t;\n");
        MigrationSet set = new MigrationScanner().scan(List.of(dir), Map.of());

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            new Replayer().replay(db, set.migrations(),
                    new ReplaySettings(List.of("My Schema"), null, "hist", Map.of()));
            try (Connection c = db.connect()) {
                AppliedHistory h = reader.read(c, "My Schema", "hist");

                assertEquals("My Schema", h.schema());
                assertEquals("hist", h.table());
                assertEquals(3, h.rows().size());
                AppliedMigration schemaRow = h.rows().get(0);
                assertEquals("0|SCHEMA|\"My Schema\"", schemaRow.installedRank() + "|" + schemaRow.type() + "|"
                        + schemaRow.script());
                AppliedMigration v1 = h.rows().get(1);
                assertEquals(new AppliedMigration(1, "1", "init", "SQL", "V1__init.sql",
                        set.migrations().get(0).checksum(), db.server().user(), v1.installedOn(),
                        v1.executionTime(), true), v1);
                assertTrue(v1.installedOn().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?"),
                        v1.installedOn());
                AppliedMigration views = h.rows().get(2);
                assertEquals(new AppliedMigration(2, null, "views", "SQL", "R__views.sql",
                        set.migrations().get(1).checksum(), db.server().user(), views.installedOn(),
                        views.executionTime(), true), views);
                assertTrue(c.getAutoCommit());
            }
        }
    }

    @Test
    void garbageRowsAreReadAsStored() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
                    + " description varchar(200), type varchar(20), script varchar(1000), checksum int,"
                    + " installed_by varchar(100), installed_on timestamp DEFAULT now(), execution_time int,"
                    + " success boolean)");
            s.execute("INSERT INTO flyway_schema_history VALUES"
                    + " (1, 'abc', 'bad version', 'SQL', 'Vabc__x.sql', 5, 'me', '2024-05-01 10:15:30.5', 3, true),"
                    + " (2, '2', 'no checksum', 'SQL', 'V2__x.sql', NULL, 'me', '2024-05-01 10:15:31', 3, true),"
                    + " (3, '3', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                    + " (4, '4', 'odd', 'MAGIC', 'x', 7, 'me', '2024-05-01 10:15:32', 1, false)");
            c.setAutoCommit(false);
            c.commit();
            c.setAutoCommit(true);

            AppliedHistory h = reader.read(c, null, null);

            assertEquals(new AppliedHistory("public", "flyway_schema_history", List.of(
                    new AppliedMigration(1, "abc", "bad version", "SQL", "Vabc__x.sql", 5, "me",
                            "2024-05-01T10:15:30.500", 3, true),
                    new AppliedMigration(2, "2", "no checksum", "SQL", "V2__x.sql", null, "me",
                            "2024-05-01T10:15:31", 3, true),
                    new AppliedMigration(3, "3", null, null, null, null, null, null, 0, false, true),
                    new AppliedMigration(4, "4", "odd", "MAGIC", "x", 7, "me", "2024-05-01T10:15:32", 1, false))), h);
        }
    }

    @Test
    void absentTable() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            HistoryNotFoundException e = assertThrows(HistoryNotFoundException.class,
                    () -> reader.read(c, "public", null));
            assertEquals("no Flyway history in schema \"public\" (table flyway_schema_history not found)",
                    e.getMessage());
        }
    }

    /** issue 14: a dropped column was reported as "unreachable" (exit 3) */
    @Test
    void missingColumnNamesTheTableAndTheColumn() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA app");
            s.execute("CREATE TABLE app.hist (installed_rank int PRIMARY KEY, version varchar(50),"
                    + " description varchar(200), type varchar(20), script varchar(1000),"
                    + " installed_by varchar(100), installed_on timestamp DEFAULT now(), execution_time int)");
            HistoryNotFoundException e = assertThrows(HistoryNotFoundException.class, () -> reader.read(c, "app", "hist"));
            assertEquals("version table app.hist is not a Flyway version table: it has no column checksum, success"
                    + " (Flyway's has installed_rank, version, description, type, script, checksum, installed_by,"
                    + " installed_on, execution_time, success)", e.getMessage());
            assertTrue(c.getAutoCommit());
        }
    }

    @Test
    void permissionDeniedSuggestsTheGrant() throws Exception {
        String role = "dw_noread_" + Integer.toHexString(new Random().nextInt() & 0xfffffff);
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE flyway_schema_history (installed_rank int, version text, description text,"
                    + " type text, script text, checksum int, installed_by text, installed_on timestamp,"
                    + " execution_time int, success boolean)");
            s.execute("CREATE ROLE " + role);
            try {
                s.execute("SET ROLE " + role);
                HistoryUnreadableException e = assertThrows(HistoryUnreadableException.class,
                        () -> reader.read(c, "public", "flyway_schema_history"));
                assertEquals("cannot read Flyway history table public.flyway_schema_history as role " + role
                        + " (permission denied for table flyway_schema_history);"
                        + " run GRANT SELECT ON public.flyway_schema_history TO " + role, e.getMessage());
                try (ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only')")) {
                    rs.next();
                    assertEquals("off", rs.getString(1));
                }
            } finally {
                s.execute("RESET ROLE");
                s.execute("DROP ROLE " + role);
            }
        }
    }
}
