package io.driftwatch.source;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.postgres.PostgresDialect;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Source#parse}: every accepted form, and one-line refusals listing the forms. */
class SourceTest {

    static Source parse(String text) {
        return Source.parse(text, PostgresDialect.INSTANCE, null, null, Map.of("PGUSER", "envuser", "PGPASSWORD", "envsecret"));
    }

    @Test
    void databaseUrls() {
        Source.Database d = assertInstanceOf(Source.Database.class, parse("postgresql://app:s3cret@db.internal:6543/shop"));
        assertEquals("postgresql://app@db.internal:6543/shop", d.display());
        assertEquals("s3cret", ((ConnectionSpec) d.spec()).password());
        assertEquals("postgresql://envuser@localhost:5432/shop",
                parse("jdbc:postgresql://localhost/shop").display());
        assertEquals("envsecret", ((ConnectionSpec) ((Source.Database) parse("jdbc:postgresql://localhost/shop")).spec()).password());
        assertEquals("postgresql://u@h:5432/d", parse("postgres://u@h/d").display());
        assertFalse(parse("postgresql://app:s3cret@db/shop").toString().contains("s3cret"));
        Source.Database flags = assertInstanceOf(Source.Database.class,
                Source.parse("postgresql://db/shop", PostgresDialect.INSTANCE, "flaguser", "flagpw", Map.of()));
        assertEquals("flaguser", ((ConnectionSpec) flags.spec()).user());
        assertEquals("flagpw", ((ConnectionSpec) flags.spec()).password());
    }

    @Test
    void migrationFolders() {
        assertEquals(new Source.Migrations(Path.of("fixtures/shop/migrations"), null), parse("migrations:fixtures/shop/migrations"));
        assertEquals(new Source.Migrations(Path.of("db/migration"), "16"), parse("migrations:db/migration@16"));
        // the target is the tool's to read (Flyway normalises V16, 2_1 and 1.0; Alembic takes head, ids, labels)
        assertEquals(new Source.Migrations(Path.of("db/migration"), "V16"), parse("migrations:db/migration@V16"));
        assertEquals(new Source.Migrations(Path.of("db"), "2_1"), parse("migrations:db@2_1"));
        assertEquals(new Source.Migrations(Path.of("db"), "head"), parse("migrations:db@head"));
        assertEquals(new Source.Migrations(Path.of("/tmp/a@b/sql"), null), parse("migrations:/tmp/a@b/sql"));
        assertEquals("migrations:db/migration@V16", parse("migrations:db/migration@V16").display());
    }

    @Test
    void snapshotFiles() {
        assertEquals(new Source.SnapshotFile(Path.of("prod.json")), parse("snapshot:prod.json"));
        assertEquals(new Source.SnapshotFile(Path.of("snaps/last-week.JSON")), parse("snaps/last-week.JSON"));
        assertEquals(new Source.SnapshotFile(Path.of("schema.snap")), parse("snapshot:schema.snap"));
        assertEquals("snapshot:prod.json", parse("prod.json").display());
    }

    @Test
    void unknownStringsAreRefusedWithTheListOfForms() {
        String forms = "expected one of: jdbc:postgresql://host:port/db, postgresql://user@host:port/db, "
                + "migrations:DIR[@VERSION], snapshot:FILE.json (or any path ending in .json)";
        assertEquals("unknown source 'db/migration' (a folder of migrations is written migrations:db/migration); " + forms,
                refused("db/migration"));
        assertEquals("unknown source 'mysql://root:***@db/shop' (only PostgreSQL URLs are supported); " + forms,
                refused("mysql://root:hunter2@db/shop"));
        assertEquals("unknown source 'jdbc:mysql://db/shop' (only PostgreSQL URLs are supported); " + forms,
                refused("jdbc:mysql://db/shop"));
        assertEquals("unknown source 'flyway:db'; " + forms, refused("flyway:db"));
        assertEquals("empty source; " + forms, refused("  "));
        assertEquals("source 'migrations:db@': nothing after @ (form: migrations:DIR[@VERSION])", refused("migrations:db@"));
        assertEquals("source 'migrations:@16' names no folder (form: migrations:DIR[@VERSION])", refused("migrations:@16"));
        assertEquals("source 'snapshot:' names no file (form: snapshot:FILE.json)", refused("snapshot:"));
        assertTrue(refused("postgresql://u:pw@h:notaport/d").startsWith("port 'notaport' in URL"));
    }

    private static String refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }
}
