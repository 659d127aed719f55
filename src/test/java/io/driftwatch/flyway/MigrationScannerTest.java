package io.driftwatch.flyway;

import io.driftwatch.tool.MigrationException;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationScannerTest {

    private final MigrationScanner scanner = new MigrationScanner();

    static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    static byte[] withBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    /** A small project: BOM + CRLF, placeholders, a subfolder, a repeatable, a callback and an undo script. */
    static void project(Path dir) throws IOException {
        write(dir.resolve("V1__init.sql"), withBom("CREATE TABLE ${tbl} (id int);\r\nCREATE TABLE b (id int);\r\n"));
        write(dir.resolve("sub/V1_1__sub_one.sql"), "CREATE TABLE c (id int);\n-- ${tbl} in a comment\n");
        write(dir.resolve("V2__more.sql"), "CREATE TABLE d (id int)");
        write(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1 AS x, '${tbl}' AS t;\r\n");
        write(dir.resolve("afterMigrate.sql"), "SELECT 1;\n");
        write(dir.resolve("U2__more.sql"), "DROP TABLE d;\n");
        write(dir.resolve("notes.txt"), "not a migration\n");
    }

    @Test
    void resolvesNamesDescriptionsAndOrder(@TempDir Path dir) throws Exception {
        project(dir);
        write(dir.resolve("V10__ten.sql"), "SELECT 10;\n");
        write(dir.resolve("V9__nine.sql"), "SELECT 9;\n");
        write(dir.resolve("R__a_functions.sql"), "SELECT 'f';\n");

        MigrationSet set = scanner.scan(List.of(dir), Map.of("tbl", "a1"));

        assertEquals(List.of(dir.toString()), set.locations());
        assertEquals(List.of("1|init|V1__init.sql", "1.1|sub one|sub/V1_1__sub_one.sql", "2|more|V2__more.sql",
                        "9|nine|V9__nine.sql", "10|ten|V10__ten.sql", "null|a functions|R__a_functions.sql",
                        "null|views|R__views.sql"),
                set.migrations().stream().map(m -> m.version() + "|" + m.description() + "|" + m.script()).toList());
        ResolvedMigration sub = set.migrations().get(1);
        assertEquals(new ResolvedMigration("1.1", "sub one", "sub/V1_1__sub_one.sql", sub.checksum(), false,
                dir.resolve("sub/V1_1__sub_one.sql").toAbsolutePath().toString()), sub);
    }

    @Test
    void repeatablesAreChecksummedAfterPlaceholderReplacementVersionedBefore(@TempDir Path dir) throws Exception {
        project(dir);
        Map<String, Integer> a = checksums(scanner.scan(List.of(dir), Map.of("tbl", "a1")));
        Map<String, Integer> b = checksums(scanner.scan(List.of(dir), Map.of("tbl", "zz")));

        assertEquals(a.get("V1__init.sql"), b.get("V1__init.sql"));
        assertEquals(a.get("sub/V1_1__sub_one.sql"), b.get("sub/V1_1__sub_one.sql"));
        assertNotEquals(a.get("R__views.sql"), b.get("R__views.sql"));
    }

    @Test
    void checksumsEqualWhatFlywayStores(@TempDir Path dir) throws Exception {
        project(dir);
        write(dir.resolve("V3__concurrent_index.sql"), "CREATE INDEX CONCURRENTLY d_id ON d (id);\n");
        write(dir.resolve("V3__concurrent_index.sql.conf"), "executeInTransaction=false\n");
        Map<String, String> placeholders = Map.of("tbl", "a1");
        MigrationSet set = scanner.scan(List.of(dir), placeholders);

        Map<String, Integer> stored = new TreeMap<>();
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            FluentConfiguration config = Flyway.configure()
                    .loggers(QuietFlywayLogCreator.class.getName())
                    .dataSource(db.jdbcUrl(), db.server().user(), db.server().password())
                    .locations("filesystem:" + dir.toAbsolutePath())
                    .placeholders(placeholders);
            Flyway flyway = config.load();
            flyway.getConfigurationExtension(org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension.class)
                    .setTransactionalLock(false);
            assertEquals(5, flyway.migrate().migrationsExecuted);
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT script, checksum FROM flyway_schema_history")) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        assertEquals(new TreeMap<>(Map.of("V1__init.sql", stored.get("V1__init.sql"),
                "sub/V1_1__sub_one.sql", stored.get("sub/V1_1__sub_one.sql"), "V2__more.sql", stored.get("V2__more.sql"),
                "V3__concurrent_index.sql", stored.get("V3__concurrent_index.sql"),
                "R__views.sql", stored.get("R__views.sql"))), stored);
        assertEquals(stored, new TreeMap<>(checksums(set)));
    }

    @Test
    void missingFolder(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(missing), Map.of()));
        assertEquals("migrations folder " + missing + " does not exist", e.getMessage());
    }

    @Test
    void folderWithoutScripts(@TempDir Path dir) throws Exception {
        write(dir.resolve("README.txt"), "nothing here\n");
        write(dir.resolve("beforeMigrate.sql"), "SELECT 1;\n");
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(dir), Map.of()));
        assertEquals("no Flyway migrations (V__/R__ .sql) found in " + dir, e.getMessage());
    }

    @Test
    void misnamedScript(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__ok.sql"), "SELECT 1;\n");
        write(dir.resolve("deep/V2_missing_separator.sql"), "SELECT 2;\n");
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(dir), Map.of()));
        assertEquals("misnamed migration file deep/V2_missing_separator.sql in " + dir
                + ": Invalid versioned migration name format: V2_missing_separator.sql"
                + " (could not recognise version number 2_missing_separator)"
                + " (expected V<version>__<description>.sql or R__<description>.sql)", e.getMessage());
    }

    @Test
    void duplicateVersions(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__one.sql"), "SELECT 1;\n");
        write(dir.resolve("x/V1.0__same.sql"), "SELECT 1;\n");
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(dir), Map.of()));
        assertEquals("duplicate version 1.0: " + dir.resolve("V1__one.sql") + " and " + dir.resolve("x/V1.0__same.sql"),
                e.getMessage());
    }

    @Test
    void duplicatesAcrossLocations(@TempDir Path dir) throws Exception {
        write(dir.resolve("a/R__views.sql"), "SELECT 1;\n");
        write(dir.resolve("b/R__views.sql"), "SELECT 2;\n");
        MigrationException e = assertThrows(MigrationException.class,
                () -> scanner.scan(List.of(dir.resolve("a"), dir.resolve("b")), Map.of()));
        assertEquals("duplicate repeatable migration 'views': " + dir.resolve("a/R__views.sql") + " and "
                + dir.resolve("b/R__views.sql"), e.getMessage());
    }

    /** issue 14: Flyway's scanner followed this loop for minutes, then died of OutOfMemoryError (exit 1) */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void symbolicLinkLoopIsRefusedNamingTheLink(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__one.sql"), "SELECT 1;\n");
        Files.createDirectories(dir.resolve("a"));
        Files.createSymbolicLink(dir.resolve("a/b"), Path.of(".."));
        Files.createSymbolicLink(dir.resolve("a/c"), Path.of(".."));
        long t0 = System.nanoTime();
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(dir), Map.of()));
        assertEquals("symbolic link loop in migrations folder " + dir + ": a/b -> " + dir.toRealPath()
                + " leads back into a folder that contains it; remove the link or point it elsewhere", e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "detected at once");
    }

    @Test
    void symbolicLinksWithoutALoopAreFollowedAsFlywayDoes(@TempDir Path dir) throws Exception {
        write(dir.resolve("shared/V2__shared.sql"), "SELECT 2;\n");
        write(dir.resolve("m/V1__one.sql"), "SELECT 1;\n");
        Files.createSymbolicLink(dir.resolve("m/linked"), dir.resolve("shared"));
        MigrationSet set = scanner.scan(List.of(dir.resolve("m")), Map.of());
        assertEquals(List.of("V1__one.sql", "linked/V2__shared.sql"),
                set.migrations().stream().map(ResolvedMigration::script).toList());
    }

    /** issue 14: Flyway said only "Unable to calculate checksum of V2__latin.sql" */
    @Test
    void latin1ScriptIsRefusedNamingTheFileAndTheByte(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__one.sql"), "SELECT 1;\n");
        write(dir.resolve("sub/V2__latin.sql"), "-- prices\n-- caf\u00e9 cr\u00e8me\nSELECT 2;\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        MigrationException e = assertThrows(MigrationException.class, () -> scanner.scan(List.of(dir), Map.of()));
        assertEquals("migration sub/V2__latin.sql in " + dir + " is not valid UTF-8 (byte 0xE9 at offset 16, line 2);"
                + " Driftwatch reads scripts as UTF-8, Flyway's default encoding: save it as UTF-8"
                + " (e.g. iconv -f ISO-8859-1 -t UTF-8) and drop Flyway's encoding setting if the project has one"
                + " (Flyway checksums the decoded text: checksums stay the same)", e.getMessage());
    }

    static Map<String, Integer> checksums(MigrationSet set) {
        Map<String, Integer> out = new LinkedHashMap<>();
        set.migrations().forEach(m -> out.put(m.script(), m.checksum()));
        return out;
    }
}
