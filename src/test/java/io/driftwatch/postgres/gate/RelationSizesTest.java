package io.driftwatch.postgres.gate;

import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RelationSizes} against a real PostgreSQL: estimates when ANALYZE has run, bounded counts
 * when it has not, hostile names, absent tables, partitioned tables, unreadable tables, the lock
 * timeout, and the connection left as it was found.
 */
class RelationSizesTest {

    private static ObjectRef table(String schema, String name) {
        return ObjectRef.of(ObjectKind.TABLE, schema, name);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void analyzedTableGivesTheEstimateAndNeverAnalyzedOnesAreCounted() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            // autovacuum off: nothing may analyze the "never analyzed" tables behind the test's back
            exec(c, """
                    CREATE TABLE analyzed (i int) WITH (autovacuum_enabled = false);
                    INSERT INTO analyzed SELECT generate_series(1, 1234);
                    ANALYZE analyzed;
                    CREATE TABLE fresh (i int) WITH (autovacuum_enabled = false);
                    INSERT INTO fresh SELECT generate_series(1, 500);
                    CREATE TABLE empty_t (i int) WITH (autovacuum_enabled = false);
                    """);
            Map<ObjectRef, RelationSize> sizes = RelationSizes.read(c,
                    List.of(table("public", "analyzed"), table("public", "fresh"), table("public", "empty_t")), 10_000);

            RelationSize analyzed = sizes.get(table("public", "analyzed"));
            assertEquals(1234, analyzed.rows(), "ANALYZE read every page of this small table: exact reltuples");
            assertTrue(analyzed.estimated());
            assertTrue(analyzed.bytes() >= 8192, "at least one heap page: " + analyzed.bytes());

            RelationSize fresh = sizes.get(table("public", "fresh"));
            assertEquals(new RelationSize(500, fresh.bytes(), false), fresh, "reltuples is -1: counted instead");
            assertTrue(fresh.bytes() > 0);

            assertEquals(new RelationSize(0, 0, false), sizes.get(table("public", "empty_t")));
            assertTrue(sizes.get(table("public", "empty_t")).empty());
            assertEquals(List.of(table("public", "analyzed"), table("public", "fresh"), table("public", "empty_t")),
                    List.copyOf(sizes.keySet()), "in the order asked");

            assertEquals(-1.0, reltuples(c, "fresh"), "the read left the catalog as it was (nothing analyzed)");
            assertTrue(c.getAutoCommit(), "auto-commit restored");
            assertFalse(c.isReadOnly(), "read-only flag restored");
            exec(c, "CREATE TABLE after_read (i int)"); // the session is writable again, outside any transaction
        }
    }

    private static double reltuples(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT reltuples FROM pg_class WHERE oid = 'public." + table + "'::regclass")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Test
    void countStopsAtTheCapAndReportsCapPlusOne() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, """
                    CREATE TABLE big (i int) WITH (autovacuum_enabled = false);
                    INSERT INTO big SELECT generate_series(1, 5000);
                    """);
            assertEquals(new RelationSize(101, sizeOf(c, "public.big"), false),
                    RelationSizes.read(c, List.of(table("public", "big")), 100).get(table("public", "big")),
                    "more than 100 rows: reported as 101");
            assertEquals(5000, RelationSizes.read(c, List.of(table("public", "big")), 5000)
                    .get(table("public", "big")).rows(), "cap equal to the count: exact");
            assertEquals(1, RelationSizes.read(c, List.of(table("public", "big")), 0)
                    .get(table("public", "big")).rows(), "cap 0: only 'more than none'");
        }
    }

    private static long sizeOf(Connection c, String regclass) throws SQLException {
        try (Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT pg_total_relation_size('" + regclass + "'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void hostileNamesAreQuotedAndMissingTablesAreAbsent() throws Exception {
        String schema = "Odd \"Schema\"; --";
        String name = "wé\"ird näme 表 $$ ' ;";
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, """
                    CREATE SCHEMA "Odd ""Schema""; --";
                    CREATE TABLE "Odd ""Schema""; --"."wé""ird näme 表 $$ ' ;" (x text) WITH (autovacuum_enabled = false);
                    INSERT INTO "Odd ""Schema""; --"."wé""ird näme 表 $$ ' ;" VALUES ('a'), ('b'), ('c');
                    CREATE TABLE "Analyzed Ünïcode" (x int);
                    INSERT INTO "Analyzed Ünïcode" SELECT generate_series(1, 77);
                    ANALYZE "Analyzed Ünïcode";
                    CREATE VIEW a_view AS SELECT 1 AS one;
                    """);
            Map<ObjectRef, RelationSize> sizes = RelationSizes.read(c, List.of(
                    table(schema, name), table("public", "Analyzed Ünïcode"), table("public", "no_such_table"),
                    table("no_such_schema", "x"), table("public", "a_view"), table("public", "analyzed ünïcode")), 1000);
            assertEquals(2, sizes.size(), "missing tables, a view and a case-folded name are absent: " + sizes);
            assertEquals(3, sizes.get(table(schema, name)).rows());
            assertFalse(sizes.get(table(schema, name)).estimated());
            assertEquals(77, sizes.get(table("public", "Analyzed Ünïcode")).rows());
            assertTrue(sizes.get(table("public", "Analyzed Ünïcode")).estimated());
        }
    }

    @Test
    void partitionedTableSumsItsPartitions() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, """
                    CREATE TABLE p (i int) PARTITION BY RANGE (i);
                    CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (500) WITH (autovacuum_enabled = false);
                    CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (500) TO (5000) WITH (autovacuum_enabled = false);
                    INSERT INTO p SELECT generate_series(1, 1000);
                    """);
            RelationSize counted = RelationSizes.read(c, List.of(table("public", "p")), 10_000).get(table("public", "p"));
            assertEquals(1000, counted.rows(), "partitions never analyzed: the parent is counted");
            assertFalse(counted.estimated());
            assertEquals(sizeOf(c, "p1") + sizeOf(c, "p2"), counted.bytes(), "bytes summed over the partitions");

            exec(c, "ANALYZE p1; ANALYZE p2");
            RelationSize estimated = RelationSizes.read(c, List.of(table("public", "p")), 10_000).get(table("public", "p"));
            assertEquals(new RelationSize(1000, counted.bytes(), true), estimated,
                    "the leaves' reltuples summed (the parent's own stays -1 without a manual ANALYZE of it)");
        }
    }

    @Test
    void tableTheRoleCannotReadHasAnUnknownRowCount() throws Exception {
        String role = "dw_nosel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, """
                    CREATE TABLE secret (i int) WITH (autovacuum_enabled = false);
                    INSERT INTO secret SELECT generate_series(1, 10);
                    CREATE TABLE open_t (i int) WITH (autovacuum_enabled = false);
                    INSERT INTO open_t SELECT generate_series(1, 4);
                    """);
            exec(c, "CREATE ROLE " + role);
            try {
                exec(c, "GRANT SELECT ON open_t TO " + role);
                exec(c, "SET ROLE " + role);
                Map<ObjectRef, RelationSize> sizes = RelationSizes.read(c,
                        List.of(table("public", "secret"), table("public", "open_t")), 100);
                RelationSize secret = sizes.get(table("public", "secret"));
                assertFalse(secret.rowsKnown(), "no SELECT privilege: not counted, not fatal: " + secret);
                assertTrue(secret.bytes() > 0, "bytes need no privilege");
                assertEquals(4, sizes.get(table("public", "open_t")).rows(), "the other table is still counted");
                exec(c, "RESET ROLE");
            } finally {
                exec(c, "RESET ROLE; REVOKE ALL ON open_t FROM " + role + "; DROP ROLE " + role);
            }
        }
    }

    @Test
    void lockTimeoutStopsTheReadWhenDdlHoldsTheTable() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Connection ddl = db.connect()) {
            exec(c, "CREATE TABLE locked (i int)");
            ddl.setAutoCommit(false);
            exec(ddl, "LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
            try {
                long start = System.nanoTime();
                SQLException e = assertThrows(SQLException.class, () -> RelationSizes.read(c,
                        List.of(table("public", "locked")), 100, Duration.ofMillis(200), Duration.ofSeconds(30)));
                assertEquals("55P03", e.getSQLState(), e.getMessage());
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "gave up at the lock timeout");
                assertTrue(c.getAutoCommit(), "auto-commit restored after the failure");
                assertFalse(c.isReadOnly());
            } finally {
                ddl.rollback();
            }
            assertEquals(0, RelationSizes.read(c, List.of(table("public", "locked")), 100)
                    .get(table("public", "locked")).rows(), "readable again once the lock is gone");
        }
    }

    @Test
    void refusesWhatIsNotATableAndBadCaps() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            assertThrows(IllegalArgumentException.class, () -> RelationSizes.read(c,
                    List.of(ObjectRef.child(ObjectKind.COLUMN, "public", "t", "c")), 10));
            assertThrows(IllegalArgumentException.class, () -> RelationSizes.read(c, List.of(), -1));
            assertEquals(Map.of(), RelationSizes.read(c, List.of(), 10));
        }
    }

    @Test
    void describeReadsLikeTheReports() {
        assertEquals("1,204,331 rows, 84 MB", new RelationSize(1_204_331, 84L * 1024 * 1024, false).describe());
        assertEquals("about 1,204,331 rows, 84 MB", new RelationSize(1_204_331, 88_080_384, true).describe());
        assertEquals("1 row, 8192 bytes", new RelationSize(1, 8192, false).describe());
        assertEquals("row count unknown, 64 kB", new RelationSize(-1, 65536, false).describe());
        assertEquals("0 rows, 1536 MB", new RelationSize(0, 1536L * 1024 * 1024, false).describe());
        assertEquals("0 rows, 10 GB", new RelationSize(0, 10L * 1024 * 1024 * 1024, false).describe());
    }
}
