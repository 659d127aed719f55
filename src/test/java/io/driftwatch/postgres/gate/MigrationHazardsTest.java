package io.driftwatch.postgres.gate;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenarios: a "before" schema with rows (production), one pending migration run on it, the
 * catalog diffed before/after, the sizes read as they were before the migration, and
 * {@link MigrationHazards#of} asked for the hazards. Each asserts the exact rule, severity and
 * object of every finding, and that the message names the script and the real row count.
 */
class MigrationHazardsTest {

    private static final SchemaFilter FILTER = new SchemaFilter(List.of("public"), List.of(), "public",
            "flyway_schema_history");
    /** 100 000 rows or 100 MiB, as {@link MigrationHazards.Thresholds#defaults()}, spelled out. */
    private static final MigrationHazards.Thresholds THRESHOLDS =
            new MigrationHazards.Thresholds(100_000, 100L * 1024 * 1024);

    /** 200 000 rows: large by rows (about 7 MB, small by bytes); ANALYZEd, so its size is an estimate. */
    private static final String LARGE = """
            CREATE TABLE orders (id int NOT NULL, status int, note varchar(10), customer_id int);
            INSERT INTO orders SELECT g, g % 7, 'n', g % 10 FROM generate_series(1, 200000) g;
            CREATE TABLE customers (id int PRIMARY KEY);
            INSERT INTO customers SELECT generate_series(0, 9);
            ANALYZE orders;
            ANALYZE customers
            """;
    /** 10 rows, never analyzed: counted. */
    private static final String SMALL = """
            CREATE TABLE orders (id int NOT NULL, status int, note varchar(10), customer_id int);
            INSERT INTO orders SELECT g, g % 7, 'n', g % 10 FROM generate_series(1, 10) g
            """;
    private static final String EMPTY = """
            CREATE TABLE orders (id int NOT NULL, status int, note varchar(10), customer_id int)
            """;

    private static final ObjectRef ORDERS = ObjectRef.of(ObjectKind.TABLE, "public", "orders");

    /** What a rehearsal of one migration produced. */
    private record Rehearsed(List<Change> changes, Set<ObjectRef> touched, Map<ObjectRef, RelationSize> sizes,
                             List<Finding> findings) {
    }

    private static Rehearsed rehearse(String before, String script, String migration) throws SQLException {
        return rehearse(before, script, migration, THRESHOLDS);
    }

    /**
     * Runs {@code before}, reads the model and every table's size (production as it is), runs the
     * migration statement by statement in auto-commit (so CONCURRENTLY can run), reads the model
     * again and asks for the hazards with the sizes of the touched tables only.
     */
    private static Rehearsed rehearse(String before, String script, String migration,
                                      MigrationHazards.Thresholds thresholds) throws SQLException {
        PostgresCatalogReader reader = new PostgresCatalogReader();
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            run(c, before);
            SchemaModel a = reader.read(c, FILTER);
            Map<ObjectRef, RelationSize> live = RelationSizes.read(c,
                    a.tables().stream().map(Table::ref).toList(), 1_000_000);
            run(c, migration);
            SchemaModel b = reader.read(c, FILTER);
            List<Change> changes = new SchemaDiffer().diff(a, b);
            Set<ObjectRef> touched = MigrationHazards.tablesTouched(changes);
            Map<ObjectRef, RelationSize> sizes = new HashMap<>(live);
            sizes.keySet().retainAll(touched);
            return new Rehearsed(changes, touched, sizes, MigrationHazards.of(script, migration, changes, sizes, thresholds));
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        for (String statement : sql.split(";\\s*\\n")) {
            if (!statement.isBlank()) {
                try (Statement s = c.createStatement()) {
                    s.execute(statement);
                }
            }
        }
    }

    private static ObjectRef column(String table, String name) {
        return ObjectRef.child(ObjectKind.COLUMN, "public", table, name);
    }

    private static ObjectRef index(String table, String name) {
        return ObjectRef.child(ObjectKind.INDEX, "public", table, name);
    }

    private static ObjectRef constraint(String table, String name) {
        return ObjectRef.child(ObjectKind.CONSTRAINT, "public", table, name);
    }

    /** Asserts the findings are exactly these (rule, severity, object) triples, in order. */
    private static void assertFindings(List<Finding> findings, Object... ruleSeverityObject) {
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < ruleSeverityObject.length; i += 3) {
            want.append(ruleSeverityObject[i]).append(' ').append(ruleSeverityObject[i + 1]).append(' ')
                    .append(ruleSeverityObject[i + 2]).append('\n');
        }
        StringBuilder got = new StringBuilder();
        for (Finding f : findings) {
            got.append(f.rule()).append(' ').append(f.severity()).append(' ').append(f.object()).append('\n');
        }
        assertEquals(want.toString(), got.toString(), "findings: " + findings);
        for (Finding f : findings) {
            assertNull(f.expected());
            assertTrue(f.message().startsWith("V43__x.sql "), f.message());
            assertTrue(f.message().contains(f.actual()), "message carries the size: " + f.message());
            assertTrue(!f.message().contains("\n"), "one line");
        }
    }

    // ------------------------------------------------------------------ DW312 blocking-index-build

    @Test
    void indexOnALargeTableWithoutConcurrentlyWarnsWithTheRowCount() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", "CREATE INDEX orders_status_idx ON orders (status)");
        assertEquals(Set.of(ORDERS), r.touched());
        assertFindings(r.findings(), Rule.DW312, Severity.WARNING, index("orders", "orders_status_idx"));
        Finding f = r.findings().get(0);
        assertEquals("about 200,000 rows, " + RelationSize.prettyBytes(r.sizes().get(ORDERS).bytes()), f.actual());
        assertEquals("V43__x.sql builds index public.orders.orders_status_idx without CONCURRENTLY on public.orders"
                + " (" + f.actual() + "): writes to the table block until the build ends; use CREATE INDEX"
                + " CONCURRENTLY in a migration of its own (executeInTransaction=false)", f.message());
    }

    @Test
    void indexBuiltConcurrentlyIsNoHazardEvenWithHostileNames() throws Exception {
        String before = """
                CREATE TABLE "Ördérs ""x""; --" (id int, status int);
                INSERT INTO "Ördérs ""x""; --" SELECT g, g % 7 FROM generate_series(1, 200000) g
                """;
        Rehearsed r = rehearse(before, "V43__x.sql", """
                /* the index is built without blocking writes */
                create index   concurrently
                  if not exists "Idx ""St""; --" on public."Ördérs ""x""; --" (status)
                """);
        assertEquals(1, r.changes().size(), "the index was built: " + r.changes());
        assertEquals(200_000, r.sizes().get(ObjectRef.of(ObjectKind.TABLE, "public", "Ördérs \"x\"; --")).rows());
        assertFindings(r.findings());
    }

    @Test
    void concurrentlyInACommentOrAnotherIndexDoesNotCount() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", """
                -- CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
                CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
                CREATE INDEX Orders_Status_Idx ON orders (status)
                """);
        assertFindings(r.findings(), Rule.DW312, Severity.WARNING, index("orders", "orders_status_idx"));
    }

    @Test
    void indexOnASmallTableIsInfo() throws Exception {
        Rehearsed r = rehearse(SMALL, "V43__x.sql", "CREATE INDEX orders_status_idx ON orders (status)");
        assertFindings(r.findings(), Rule.DW312, Severity.INFO, index("orders", "orders_status_idx"));
        assertEquals("10 rows, " + RelationSize.prettyBytes(r.sizes().get(ORDERS).bytes()), r.findings().get(0).actual(),
                "counted, not estimated");
    }

    @Test
    void indexOnAnEmptyTableIsNothing() throws Exception {
        Rehearsed r = rehearse(EMPTY, "V43__x.sql", "CREATE INDEX orders_status_idx ON orders (status)");
        assertEquals(new RelationSize(0, 0, false), r.sizes().get(ORDERS));
        assertFindings(r.findings());
    }

    @Test
    void largeByBytesAloneIsAWarning() throws Exception {
        Rehearsed r = rehearse(SMALL, "V43__x.sql", "CREATE INDEX orders_status_idx ON orders (status)",
                new MigrationHazards.Thresholds(1_000_000, 8192));
        assertFindings(r.findings(), Rule.DW312, Severity.WARNING, index("orders", "orders_status_idx"));
    }

    @Test
    void newTableWithItsIndexInTheSameMigrationIsNothing() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", """
                CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL, customer_id int REFERENCES customers (id));
                CREATE INDEX items_order_idx ON items (order_id);
                ALTER TABLE items ADD CONSTRAINT items_order_positive CHECK (order_id > 0)
                """);
        assertTrue(r.changes().stream().anyMatch(c -> c instanceof Change.AddTable), r.changes().toString());
        assertEquals(Set.of(), r.touched(), "nothing to measure in production");
        assertFindings(r.findings());
    }

    @Test
    void primaryKeyBuildsItsIndexUnderAccessExclusive() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id)");
        assertFindings(r.findings(), Rule.DW312, Severity.WARNING, constraint("orders", "orders_pkey"));
        assertTrue(r.findings().get(0).message().contains("reads and writes block"), r.findings().get(0).message());
    }

    @Test
    void primaryKeyUsingAnExistingIndexOnlyLocksBriefly() throws Exception {
        Rehearsed r = rehearse(LARGE + ";\nCREATE UNIQUE INDEX CONCURRENTLY orders_id_uniq ON orders (id)", "V43__x.sql",
                "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_uniq");
        assertFindings(r.findings(), Rule.DW311, Severity.WARNING, ORDERS);
        assertTrue(r.findings().get(0).message().contains("add PRIMARY KEY constraint orders_pkey USING INDEX orders_id_uniq"),
                r.findings().get(0).message());
    }

    // ------------------------------------------------------------------ DW310 table-rewrite

    @Test
    void intToBigintRewrites() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", "ALTER TABLE orders ALTER COLUMN status TYPE bigint");
        assertFindings(r.findings(), Rule.DW310, Severity.WARNING, column("orders", "status"));
        String m = r.findings().get(0).message();
        assertTrue(m.contains("rewrites public.orders (about 200,000 rows, ") && m.contains("from integer to bigint"), m);
    }

    @Test
    void wideningAVarcharDoesNotRewriteButStillLocks() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", "ALTER TABLE orders ALTER COLUMN note TYPE varchar(20)");
        assertFindings(r.findings(), Rule.DW311, Severity.WARNING, ORDERS);
        assertTrue(r.findings().get(0).message().contains("change the type of note to character varying(20)"),
                r.findings().get(0).message());
    }

    @Test
    void volatileDefaultRewritesAndAConstantOneDoesNot() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", """
                ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
                ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false
                """);
        assertFindings(r.findings(), Rule.DW310, Severity.WARNING, column("orders", "token"),
                Rule.DW311, Severity.WARNING, ORDERS);
        assertTrue(r.findings().get(0).message().contains("gen_random_uuid()"), r.findings().get(0).message());
        assertTrue(r.findings().get(1).message().contains("to add column flag:"), r.findings().get(1).message());
    }

    @Test
    void settingUnloggedRewrites() throws Exception {
        Rehearsed r = rehearse(SMALL, "V43__x.sql", "ALTER TABLE orders SET UNLOGGED");
        assertFindings(r.findings(), Rule.DW310, Severity.INFO, ORDERS);
    }

    // ------------------------------------------------------------------ DW313 drops-data

    @Test
    void droppingAColumnOfATableWithRowsWarnsEvenWhenSmall() throws Exception {
        Rehearsed r = rehearse(SMALL, "V43__x.sql", "ALTER TABLE orders DROP COLUMN note");
        assertFindings(r.findings(), Rule.DW313, Severity.WARNING, column("orders", "note"));
        assertTrue(r.findings().get(0).message().contains("drops column public.orders.note of public.orders (10 rows,"),
                r.findings().get(0).message());
    }

    @Test
    void droppingATableWithRowsWarnsAndAnEmptyOneIsNothing() throws Exception {
        Rehearsed r = rehearse(SMALL + ";\nCREATE TABLE scratch (i int)", "V43__x.sql",
                "DROP TABLE orders;\nDROP TABLE scratch");
        assertFindings(r.findings(), Rule.DW313, Severity.WARNING, ORDERS);
    }

    // ------------------------------------------------------------------ DW314 validates-under-lock

    @Test
    void setNotNullOnALargeTableScansUnderLock() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql", "ALTER TABLE orders ALTER COLUMN status SET NOT NULL");
        assertFindings(r.findings(), Rule.DW314, Severity.WARNING, column("orders", "status"));
        assertTrue(r.findings().get(0).message().contains("about 200,000 rows"), r.findings().get(0).message());
    }

    @Test
    void setNotNullProvenByAValidCheckDoesNotScan() throws Exception {
        Rehearsed r = rehearse(LARGE + ";\nALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL)",
                "V43__x.sql", """
                        ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
                        ALTER TABLE orders DROP CONSTRAINT status_nn
                        """);
        assertFindings(r.findings(), Rule.DW311, Severity.WARNING, ORDERS);
    }

    @Test
    void checkNotValidDoesNotValidateAndLockTimeoutTamesTheLock() throws Exception {
        String add = "ALTER TABLE orders ADD CONSTRAINT status_known CHECK (status < 100) NOT VALID";
        Rehearsed r = rehearse(LARGE, "V43__x.sql", add);
        assertFindings(r.findings(), Rule.DW311, Severity.WARNING, ORDERS);
        assertTrue(r.findings().get(0).message().contains("SET lock_timeout"), r.findings().get(0).message());

        Rehearsed timed = rehearse(LARGE, "V43__x.sql", "SET lock_timeout = '5s';\n" + add);
        assertFindings(timed.findings(), Rule.DW311, Severity.INFO, ORDERS);

        Rehearsed disabled = rehearse(LARGE, "V43__x.sql", "SET lock_timeout = 0;\n" + add);
        assertFindings(disabled.findings(), Rule.DW311, Severity.WARNING, ORDERS);
    }

    @Test
    void checkWithoutNotValidScansUnderLock() throws Exception {
        Rehearsed r = rehearse(LARGE, "V43__x.sql",
                "ALTER TABLE orders ADD CONSTRAINT status_known CHECK (status < 100)");
        assertFindings(r.findings(), Rule.DW314, Severity.WARNING, constraint("orders", "status_known"));
    }

    @Test
    void foreignKeyIsValidatedUnlessNotValid() throws Exception {
        String fk = "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)";
        Rehearsed r = rehearse(LARGE, "V43__x.sql", fk);
        assertFindings(r.findings(), Rule.DW314, Severity.WARNING, constraint("orders", "orders_customer_fk"));
        assertTrue(r.findings().get(0).message().contains("SHARE ROW EXCLUSIVE locks on public.orders and public.customers"),
                r.findings().get(0).message());

        assertFindings(rehearse(LARGE, "V43__x.sql", fk + " NOT VALID").findings());
    }

    // ------------------------------------------------------------------ partitioned tables

    @Test
    void partitionedTableIsReportedOnceWithItsPartitionsSummed() throws Exception {
        String before = """
                CREATE TABLE events (id int NOT NULL, kind int) PARTITION BY RANGE (id);
                CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100000);
                CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100000) TO (300000);
                INSERT INTO events SELECT g, g % 3 FROM generate_series(1, 200000) g
                """;
        ObjectRef events = ObjectRef.of(ObjectKind.TABLE, "public", "events");

        Rehearsed index = rehearse(before, "V43__x.sql", "CREATE INDEX events_kind_idx ON events (kind)");
        assertTrue(index.changes().size() > 1, "the partitions' own indexes are changes too: " + index.changes());
        assertFindings(index.findings(), Rule.DW312, Severity.WARNING, index("events", "events_kind_idx"));
        assertEquals(200_000, index.sizes().get(events).rows(), "summed over both partitions");
        assertTrue(index.findings().get(0).message().contains("ON ONLY public.events"), index.findings().get(0).message());

        Rehearsed type = rehearse(before, "V43__x.sql", "ALTER TABLE events ALTER COLUMN kind TYPE bigint");
        assertFindings(type.findings(), Rule.DW310, Severity.WARNING, column("events", "kind"));
    }
}
