package io.driftwatch.postgres.gate;

import io.driftwatch.diff.Change;
import io.driftwatch.diff.ChangeKind;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataProbes} against a real PostgreSQL. Each scenario has two databases: {@code live} with
 * the schema and rows, and {@code clone} with the same schema and no rows, where the pending migration
 * is run; the clone's before/after models give the changes, as the gate's rehearsal does.
 */
class DataProbesTest {

    private static final String SCRIPT = "V2__pending.sql";
    private static final PostgresCatalogReader READER = new PostgresCatalogReader();

    /** Live and clone databases for one scenario; closing drops both. */
    private static final class Scenario implements AutoCloseable {
        final ShadowDatabase liveDb = TestPostgres.newDatabase();
        final ShadowDatabase cloneDb = TestPostgres.newDatabase();
        final Connection live;
        final List<Change> changes;
        final SchemaModel liveModel;
        /** the verdicts on the probes' expressions, taken in the clone after the migration as the rehearsal does */
        final ProbeVetting vetting;

        Scenario(String schema, String data, String migration) throws SQLException {
            this(schema, data, "", migration);
        }

        /** {@code schemaAfterData} runs on live after the rows (e.g. a NOT VALID constraint they violate). */
        Scenario(String schema, String data, String schemaAfterData, String migration) throws SQLException {
            live = liveDb.connect();
            exec(live, schema);
            if (!data.isBlank()) {
                exec(live, data);
            }
            if (!schemaAfterData.isBlank()) {
                exec(live, schemaAfterData);
            }
            try (Connection clone = cloneDb.connect()) {
                exec(clone, schema);
                if (!schemaAfterData.isBlank()) {
                    exec(clone, schemaAfterData);
                }
                SchemaModel before = READER.read(clone, SchemaFilter.all());
                exec(clone, migration);
                SchemaModel after = READER.read(clone, SchemaFilter.all());
                changes = new SchemaDiffer().diff(before, after);
                liveModel = READER.read(live, SchemaFilter.all());
                vetting = ProbeVetting.vet(clone, DataProbes.subjects(SCRIPT, changes, liveModel,
                        live.getMetaData().getDatabaseMajorVersion()), liveModel);
            }
        }

        List<Finding> probe() throws SQLException {
            return probe(ProbeSettings.defaults());
        }

        List<Finding> probe(ProbeSettings settings) throws SQLException {
            return DataProbes.probe(live, SCRIPT, changes, liveModel, settings, vetting);
        }

        @Override
        public void close() throws SQLException {
            live.close();
            liveDb.close();
            cloneDb.close();
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return advisory locks on {@code key} held in the scenario's live database, seen from another session */
    private static long advisoryLocks(Scenario s, long key) throws SQLException {
        try (Connection other = s.liveDb.connect()) {
            return count(other, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + key
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        }
    }

    /** @return the findings by object name, e.g. {@code c_lock -> DW327} */
    private static java.util.Map<String, Finding> byName(List<Finding> findings) {
        java.util.Map<String, Finding> out = new java.util.TreeMap<>();
        for (Finding f : findings) {
            assertNull(out.put(f.object().name(), f), () -> "two findings for " + f.object() + ": " + findings);
        }
        return out;
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), () -> "expected one finding, got " + findings);
        return findings.get(0);
    }

    private static ObjectRef column(String table, String name) {
        return ObjectRef.child(ObjectKind.COLUMN, "public", table, name);
    }

    private static ObjectRef constraint(String table, String name) {
        return ObjectRef.child(ObjectKind.CONSTRAINT, "public", table, name);
    }

    // ---- DW320

    @Test
    void nullsBeforeSetNotNullAreCountedAndSampledByPrimaryKey() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int)",
                "INSERT INTO orders SELECT g, CASE WHEN g IN (17, 42, 99) THEN NULL ELSE g END FROM generate_series(1, 200) g",
                "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW320, f.rule());
            assertEquals(Severity.ERROR, f.severity());
            assertEquals(column("orders", "customer_id"), f.object());
            assertNull(f.expected());
            assertEquals("3 rows", f.actual());
            assertEquals("V2__pending.sql sets public.orders.customer_id NOT NULL but 3 live rows hold NULL "
                    + "(id = 17, 42, 99): backfill them first (UPDATE public.orders SET customer_id = ... "
                    + "WHERE customer_id IS NULL) or the migration fails", f.message());
        }
    }

    @Test
    void noNullsNoFinding() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int)",
                "INSERT INTO orders SELECT g, g FROM generate_series(1, 50) g",
                "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL")) {
            assertEquals(List.of(), s.probe());
        }
    }

    @Test
    void countsStopAtTheCapAndTablesWithoutPrimaryKeySampleCtid() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE events (note text)",
                "INSERT INTO events SELECT NULL FROM generate_series(1, 5)",
                "ALTER TABLE events ALTER COLUMN note SET NOT NULL")) {
            Finding f = only(s.probe(new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(2), 2, 3)));
            assertEquals("more than 3 rows", f.actual());
            assertTrue(f.message().contains("more than 3 live rows hold NULL (ctid = (0,1), (0,2))"), f.message());
        }
    }

    @Test
    void newPrimaryKeyReportsNullsOnceAndDuplicates() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE codes (code text, label text)",
                "INSERT INTO codes VALUES ('a', 'x'), ('a', 'y'), (NULL, 'z'), ('b', 'w')",
                "ALTER TABLE codes ADD CONSTRAINT codes_pkey PRIMARY KEY (code)")) {
            List<Finding> findings = s.probe();
            assertEquals(2, findings.size(), findings::toString);
            Finding nulls = findings.stream().filter(f -> f.rule() == Rule.DW320).findFirst().orElseThrow();
            assertEquals(column("codes", "code"), nulls.object());
            assertEquals("1 row", nulls.actual());
            Finding dups = findings.stream().filter(f -> f.rule() == Rule.DW321).findFirst().orElseThrow();
            assertEquals(constraint("codes", "codes_pkey"), dups.object());
            assertEquals("1 duplicated key", dups.actual());
            assertTrue(dups.message().contains("(code = 'a' ×2)"), dups.message());
        }
    }

    // ---- DW321

    @Test
    void duplicatesBeforeUniqueAreCountedWithSampleKeysAndNullsIgnored() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE users (id int PRIMARY KEY, email text)",
                "INSERT INTO users VALUES (1, 'a@x'), (2, 'a@x'), (3, 'a@x'), (4, 'b@x'), (5, 'b@x'), (6, 'c@x'),"
                        + " (7, NULL), (8, NULL)",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW321, f.rule());
            assertEquals(constraint("users", "users_email_key"), f.object());
            assertEquals("2 duplicated keys", f.actual());
            assertEquals("V2__pending.sql adds unique constraint public.users.users_email_key but 2 keys are duplicated"
                    + " in live rows of public.users (email = 'a@x' ×3, 'b@x' ×2): remove or merge the duplicates first"
                    + " or the migration fails", f.message());
        }
    }

    @Test
    void nullsNotDistinctCountsNullKeysAsDuplicates() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE users (id int PRIMARY KEY, email text)",
                "INSERT INTO users VALUES (1, 'a@x'), (7, NULL), (8, NULL)",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email)")) {
            Finding f = only(s.probe());
            assertTrue(f.message().contains("(email = NULL ×2)"), f.message());
        }
    }

    @Test
    void uniqueExpressionIndexAppliesItsPredicate() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE users (id int PRIMARY KEY, email text, active boolean)",
                "INSERT INTO users VALUES (1, 'A@x', true), (2, 'a@x', true), (3, 'b@x', true), (4, 'b@x', false)",
                "CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE active")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW321, f.rule());
            assertEquals(ObjectRef.child(ObjectKind.INDEX, "public", "users", "users_email_lower"), f.object());
            assertEquals("1 duplicated key", f.actual());
            assertTrue(f.message().contains("adds unique index public.users.users_email_lower"), f.message());
            assertTrue(f.message().contains("(lower(email) = 'a@x' ×2)"), f.message());
        }
    }

    // ---- DW322

    @Test
    void orphansBeforeForeignKeyAreCountedAndSampled() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE customers (id int PRIMARY KEY); CREATE TABLE orders (id int PRIMARY KEY, customer_id int)",
                "INSERT INTO customers VALUES (1), (2), (3);"
                        + " INSERT INTO orders VALUES (1, 1), (2, 2), (3, 7), (4, 8), (5, 8), (6, NULL)",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW322, f.rule());
            assertEquals(Severity.ERROR, f.severity());
            assertEquals(constraint("orders", "orders_customer_fk"), f.object());
            assertEquals("3 rows", f.actual());
            assertTrue(f.message().startsWith("V2__pending.sql adds foreign key public.orders.orders_customer_fk but"
                    + " 3 live rows of public.orders reference keys missing from public.customers (customer_id = "), f.message());
            assertTrue(f.message().contains("7") && f.message().contains("8, ") || f.message().contains(", 8)"), f.message());
            assertFalse(f.message().contains("NULL"), f.message());
        }
    }

    @Test
    void matchFullCountsPartlyNullKeys() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE c (id int PRIMARY KEY, a int, b int)",
                "INSERT INTO p VALUES (1, 1); INSERT INTO c VALUES (1, 1, 1), (2, 1, NULL), (3, NULL, NULL)",
                "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (a, b) REFERENCES p (a, b) MATCH FULL")) {
            Finding f = only(s.probe());
            assertEquals("1 row", f.actual());
            assertTrue(f.message().contains("((a, b) = (1, NULL))"), f.message());
        }
    }

    @Test
    void notValidConstraintsAreNotProbed() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE customers (id int PRIMARY KEY); CREATE TABLE orders (id int PRIMARY KEY, customer_id int, qty int)",
                "INSERT INTO orders VALUES (1, 99, -1)",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;"
                        + " ALTER TABLE orders ADD CONSTRAINT orders_qty CHECK (qty > 0) NOT VALID")) {
            assertEquals(2, s.changes.size(), s.changes::toString);
            assertEquals(List.of(), s.probe());
        }
    }

    @Test
    void validatingANotValidConstraintIsProbed() throws Exception {
        try (Scenario s = new Scenario("CREATE TABLE orders (id int PRIMARY KEY, qty int)",
                "INSERT INTO orders VALUES (1, -1), (2, 3)",
                "ALTER TABLE orders ADD CONSTRAINT orders_qty CHECK (qty > 0) NOT VALID",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_qty")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW323, f.rule());
            assertTrue(f.message().startsWith("V2__pending.sql validates check constraint public.orders.orders_qty"), f.message());
            assertTrue(f.message().contains("(id = 1)"), f.message());
        }
    }

    @Test
    void foreignKeyToAParentTheMigrationCreatesCountsEveryKeyedRow() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE stores (id int PRIMARY KEY, region text)",
                "INSERT INTO stores VALUES (1, 'eu'), (2, 'us'), (3, NULL)",
                "CREATE TABLE regions (code text PRIMARY KEY);"
                        + " ALTER TABLE stores ADD CONSTRAINT stores_region_fk FOREIGN KEY (region) REFERENCES regions (code)")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW322, f.rule());
            assertEquals(Severity.WARNING, f.severity());
            assertEquals("2 rows", f.actual());
            assertTrue(f.message().contains("to public.regions, which is new in this migration"), f.message());
            assertTrue(f.message().contains("unless it fills public.regions"), f.message());
        }
    }

    // ---- DW323

    @Test
    void checkViolationsAreCountedAndNullPasses() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE products (id int PRIMARY KEY, price numeric)",
                "INSERT INTO products VALUES (1, 10), (2, 0), (3, -5), (4, NULL)",
                "ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0)")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW323, f.rule());
            assertEquals(constraint("products", "price_positive"), f.object());
            assertEquals("2 rows", f.actual());
            assertEquals("V2__pending.sql adds check constraint public.products.price_positive CHECK ((price > (0)::numeric))"
                    + " but 2 live rows of public.products violate it (id = 2, 3): fix those rows first or add the"
                    + " constraint NOT VALID, or the migration fails", f.message());
        }
    }

    @Test
    void checkOnAColumnTheMigrationAddsIsSkipped() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE products (id int PRIMARY KEY)",
                "INSERT INTO products VALUES (1)",
                "ALTER TABLE products ADD COLUMN price numeric DEFAULT -1;"
                        + " ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0) NOT VALID;"
                        + " ALTER TABLE products ADD CONSTRAINT price_small CHECK (price < 100)")) {
            assertEquals(List.of(), s.probe());
        }
    }

    // ---- DW324

    @Test
    void typeChangeWithAValueThatDoesNotCastReportsTheServersMessage() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE items (id int PRIMARY KEY, qty text)",
                "INSERT INTO items VALUES (1, '12'), (2, 'abc'), (3, NULL)",
                "ALTER TABLE items ALTER COLUMN qty TYPE integer USING qty::integer")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW324, f.rule());
            assertEquals(column("items", "qty"), f.object());
            if (s.liveDb.server().majorVersion() >= 16) {
                assertEquals("1 row", f.actual());
                assertTrue(f.message().contains("1 live value does not convert ('abc')"), f.message());
            } else {
                assertEquals("at least 1 row", f.actual());
                assertTrue(f.message().startsWith("V2__pending.sql changes public.items.qty from text to integer but a live"
                        + " value does not convert (ERROR: invalid input syntax for type integer: \"abc\")"), f.message());
            }
            assertTrue(f.message().contains("the probe assumes the plain cast"), f.message());
        }
    }

    @Test
    void typeProbeCountsAndSamplesBadValuesOnPostgres16AndReportsTheFirstOnOlder() throws Exception {
        // models built by hand, so this runs on any server the suite is pointed at (DRIFTWATCH_TEST_PG=embedded
        // gives PostgreSQL 17 and the pg_input_is_valid path)
        Column id = new Column("id", 1, "integer", true, null, Column.Identity.NONE, null, null);
        Column qtyText = new Column("qty", 2, "text", false, null, Column.Identity.NONE, null, null);
        Column qtyInt = new Column("qty", 2, "integer", false, null, Column.Identity.NONE, null, null);
        Constraint pk = new Constraint("items_pkey", Constraint.Type.PRIMARY_KEY, "PRIMARY KEY (id)", List.of("id"), null);
        Table before = new Table("public", "items", false, null, null, null, List.of(id, qtyText), List.of(pk), List.of());
        Table after = before.withChildren(List.of(id, qtyInt), List.of(pk), List.of());
        SchemaModel liveModel = new SchemaModel(null, List.of("public"), List.of(before), List.of(), List.of(), List.of());
        List<Change> changes = List.of(new Change.ModifyColumn(after, qtyText, qtyInt, EnumSet.of(ChangeKind.TYPE)));
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, "CREATE TABLE items (id int PRIMARY KEY, qty text);"
                    + " INSERT INTO items VALUES (1, '12'), (2, 'abc'), (3, NULL), (4, '1.5')");
            // the database holds the live schema, so it stands in for the clone to vet the cast in
            ProbeVetting vetting = ProbeVetting.vet(c, DataProbes.subjects(SCRIPT, changes, liveModel,
                    c.getMetaData().getDatabaseMajorVersion()), liveModel);
            Finding f = only(DataProbes.probe(c, SCRIPT, changes, liveModel, ProbeSettings.defaults(), vetting));
            assertEquals(Rule.DW324, f.rule());
            if (db.server().majorVersion() >= 16) {
                assertEquals("2 rows", f.actual());
                assertTrue(f.message().contains("from text to integer but 2 live values do not convert ('abc', '1.5')"),
                        f.message());
            } else {
                assertEquals("at least 1 row", f.actual());
                assertTrue(f.message().contains("(ERROR: invalid input syntax for type integer: \"abc\")"), f.message());
            }
        }
    }

    @Test
    void typeChangeWhoseValuesAllCastIsQuiet() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE items (id int PRIMARY KEY, qty text)",
                "INSERT INTO items VALUES (1, '12'), (2, ' 7'), (3, NULL)",
                "ALTER TABLE items ALTER COLUMN qty TYPE integer USING qty::integer")) {
            assertEquals(List.of(), s.probe());
        }
    }

    @Test
    void narrowingAVarcharCountsTooLongValues() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE items (id int PRIMARY KEY, code text)",
                "INSERT INTO items VALUES (1, 'abc'), (2, 'abcd'), (3, 'ab   ')",
                "ALTER TABLE items ALTER COLUMN code TYPE varchar(3)")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW324, f.rule());
            assertEquals("1 row", f.actual());
            assertTrue(f.message().contains("from text to character varying(3) but 1 live value does not convert ('abcd')"),
                    f.message());
        }
    }

    // ---- DW325

    @Test
    void notNullColumnWithoutDefaultOnATableWithRows() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE full_t (id int PRIMARY KEY); CREATE TABLE empty_t (id int PRIMARY KEY)",
                "INSERT INTO full_t VALUES (1)",
                "ALTER TABLE full_t ADD COLUMN tenant int NOT NULL; ALTER TABLE empty_t ADD COLUMN tenant int NOT NULL;"
                        + " ALTER TABLE full_t ADD COLUMN kind text NOT NULL DEFAULT 'x';"
                        + " ALTER TABLE full_t ADD COLUMN n int GENERATED ALWAYS AS IDENTITY")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW325, f.rule());
            assertEquals(column("full_t", "tenant"), f.object());
            assertEquals("V2__pending.sql adds public.full_t.tenant integer NOT NULL without a default but public.full_t"
                    + " holds rows: give it a DEFAULT, or add it nullable, backfill it and then SET NOT NULL, or the"
                    + " migration fails", f.message());
        }
    }

    @Test
    void renamingANotNullColumnIsNotAnAddedColumn() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL)",
                "INSERT INTO t VALUES (1, 1)",
                "ALTER TABLE t RENAME COLUMN a TO b")) {
            assertTrue(s.changes.stream().anyMatch(c -> c instanceof Change.AddColumn), s.changes::toString);
            assertEquals(List.of(), s.probe());
        }
    }

    // ---- DW329

    @Test
    void aProbeThatHitsStatementTimeoutIsIncomplete() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE big (id int, v int)",
                "INSERT INTO big SELECT g, g FROM generate_series(1, 300000) g",
                "ALTER TABLE big ALTER COLUMN v SET NOT NULL")) {
            Finding f = only(s.probe(new ProbeSettings(Duration.ofMillis(1), Duration.ofSeconds(2), 5, 10_000)));
            assertEquals(Rule.DW329, f.rule());
            assertEquals(Severity.ERROR, f.severity(), "a probe that could not look is not a pass");
            assertEquals(column("big", "v"), f.object());
            assertEquals("V2__pending.sql: the probe for NULLs in public.big.v hit statement_timeout (1 ms) and was"
                    + " cancelled, so the data was not checked: raise --probe-timeout or run the gate when public.big"
                    + " is quieter", f.message());
        }
    }

    @Test
    void aLockedTableTimesOutItsProbeAndTheOtherProbesStillRun() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE locked (id int PRIMARY KEY, v int); CREATE TABLE open_t (id int PRIMARY KEY, v int)",
                "INSERT INTO locked VALUES (1, NULL); INSERT INTO open_t VALUES (1, NULL), (2, 2)",
                "ALTER TABLE locked ALTER COLUMN v SET NOT NULL; ALTER TABLE open_t ALTER COLUMN v SET NOT NULL");
             Connection other = s.liveDb.connect()) {
            other.setAutoCommit(false);
            exec(other, "LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
            try {
                List<Finding> findings = s.probe(new ProbeSettings(Duration.ofSeconds(30), Duration.ofMillis(200), 5, 10_000));
                assertEquals(2, findings.size(), findings::toString);
                Finding locked = findings.get(0);
                assertEquals(Rule.DW329, locked.rule());
                assertEquals(column("locked", "v"), locked.object());
                assertTrue(locked.message().contains("waited longer than lock_timeout (200 ms) for a lock on public.locked"),
                        locked.message());
                Finding open = findings.get(1);
                assertEquals(Rule.DW320, open.rule());
                assertEquals("1 row", open.actual());
            } finally {
                other.rollback();
            }
        }
    }

    @Test
    void aProbeRefusedSelectSaysWhatToGrant() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE secret (id int PRIMARY KEY, v int)",
                "INSERT INTO secret VALUES (1, NULL)",
                "ALTER TABLE secret ALTER COLUMN v SET NOT NULL")) {
            String role = "dw_probe_nobody_" + Long.toHexString(System.nanoTime());
            exec(s.live, "CREATE ROLE " + role + " NOLOGIN; SET ROLE " + role);
            try {
                Finding f = only(s.probe());
                assertEquals(Rule.DW326, f.rule());
                assertEquals(Severity.ERROR, f.severity(), "a refused probe is not a pass");
                assertEquals("not checked", f.actual());
                assertEquals("V2__pending.sql: the probe for NULLs in public.secret.v was refused (ERROR: permission"
                        + " denied for table secret), so the data was not checked: GRANT SELECT ON public.secret TO "
                        + role + "; lets it run (or pass --no-data-probes to deploy without the data probes)", f.message());
            } finally {
                exec(s.live, "RESET ROLE; DROP ROLE " + role);
            }
        }
    }

    // ---- DW327: only immutable built-ins are evaluated on production

    @Test
    void checksCallingUnsafeFunctionsAreNotRunAndPlainChecksStillAre() throws Exception {
        String schema = "CREATE SEQUENCE products_seq;"
                + " CREATE TABLE products (id int PRIMARY KEY, price numeric, name text, placed_at timestamptz)";
        String data = "INSERT INTO products VALUES (1, 5, 'short', now()), (2, -1, 'a name far too long', now())";
        String migration = "ALTER TABLE products ADD CONSTRAINT c_price CHECK (price > 0);"
                + " ALTER TABLE products ADD CONSTRAINT c_name CHECK (length(name) < 10);"
                + " ALTER TABLE products ADD CONSTRAINT c_lock CHECK (pg_advisory_lock(424242) IS NOT NULL);"
                + " ALTER TABLE products ADD CONSTRAINT c_notify CHECK (pg_notify('dw_probe_canary', name) IS NOT NULL);"
                + " ALTER TABLE products ADD CONSTRAINT c_seq CHECK (nextval('public.products_seq') > 0);"
                + " ALTER TABLE products ADD CONSTRAINT c_random CHECK (random() < 2);"
                + " ALTER TABLE products ADD CONSTRAINT c_now CHECK (placed_at <= now());"
                + " ALTER TABLE products ADD CONSTRAINT c_kill CHECK (pg_terminate_backend(pg_backend_pid()));"
                + " ALTER TABLE products ADD CONSTRAINT c_date CHECK (current_date > '2000-01-01')";
        try (Scenario s = new Scenario(schema, data, migration); Connection listener = s.liveDb.connect()) {
            exec(listener, "LISTEN dw_probe_canary");
            var findings = byName(s.probe());
            assertEquals(List.of("c_date", "c_kill", "c_lock", "c_name", "c_notify", "c_now", "c_price", "c_random",
                    "c_seq"), List.copyOf(findings.keySet()));
            assertEquals(Rule.DW323, findings.get("c_price").rule());
            assertEquals("1 row", findings.get("c_price").actual());
            assertEquals(Rule.DW323, findings.get("c_name").rule());
            assertTrue(findings.get("c_name").message().contains("1 live row of public.products violates it (id = 2)"),
                    findings.get("c_name").message());
            java.util.Map<String, String> why = java.util.Map.of(
                    "c_lock", "calls pg_catalog.pg_advisory_lock(bigint), which is not an immutable built-in function (it is volatile)",
                    "c_notify", "calls pg_catalog.pg_notify(text,text), which is not an immutable built-in function (it is volatile)",
                    "c_seq", "calls pg_catalog.nextval(regclass), which is not an immutable built-in function (it is volatile)",
                    "c_random", "calls pg_catalog.random(), which is not an immutable built-in function (it is volatile)",
                    "c_now", "calls pg_catalog.now(), which is not an immutable built-in function (it is stable)",
                    "c_kill", "calls pg_catalog.pg_terminate_backend(",
                    "c_date", "uses CURRENT_DATE, CURRENT_USER or a similar SQL value function, which is not immutable");
            for (var e : why.entrySet()) {
                Finding f = findings.get(e.getKey());
                assertEquals(Rule.DW327, f.rule(), f::toString);
                assertEquals(Severity.ERROR, f.severity());
                assertEquals("not probed", f.actual());
                assertTrue(f.message().contains("was not run: the expression " + e.getValue()), f.message());
            }
            assertTrue(findings.get("c_lock").message().endsWith("check by hand where running it is safe (a replica, a"
                    + " restored copy): SELECT pg_catalog.count(*) FROM public.products WHERE NOT"
                    + " ((pg_advisory_lock((424242)::bigint) IS NOT NULL))"), findings.get("c_lock").message());
            // nothing of it ran: no lock, the probing session alive, the sequence untouched, no notification
            assertEquals(0, advisoryLocks(s, 424242));
            assertTrue(s.live.isValid(2));
            assertEquals(1, count(s.live, "SELECT 1"));
            assertEquals(0, count(s.live, "SELECT CASE WHEN is_called THEN 1 ELSE 0 END FROM products_seq"));
            exec(listener, "SELECT 1");
            var notifications = listener.unwrap(org.postgresql.PGConnection.class).getNotifications();
            assertTrue(notifications == null || notifications.length == 0);
        }
    }

    @Test
    void castsThroughBuiltInConversionsAreProbedAndThroughUserCodeAreNot() throws Exception {
        String schema = "CREATE TYPE mood AS ENUM ('ok', 'meh');"
                + " CREATE DOMAIN positive AS int CHECK (VALUE > 0);"
                + " CREATE FUNCTION lock_ok(int) RETURNS boolean LANGUAGE sql IMMUTABLE"
                + " AS 'SELECT pg_catalog.pg_advisory_lock(77) IS NOT NULL';"
                + " CREATE DOMAIN locked AS int CHECK (public.lock_ok(VALUE));"
                + " CREATE TABLE items (id int PRIMARY KEY, qty text, day text, at timestamp, feel text, n text, m text)";
        String data = "INSERT INTO items VALUES (1, '1', '2024-01-31', '2024-01-31 10:00', 'ok', '1', '1'),"
                + " (2, 'x', 'not a day', '2024-02-01 11:00', 'sad', '0', '2')";
        String migration = "ALTER TABLE items ALTER COLUMN qty TYPE integer USING qty::integer,"
                + " ALTER COLUMN day TYPE date USING day::date, ALTER COLUMN at TYPE timestamptz,"
                + " ALTER COLUMN feel TYPE mood USING feel::mood, ALTER COLUMN n TYPE positive USING n::int::positive,"
                + " ALTER COLUMN m TYPE locked USING m::int::locked";
        try (Scenario s = new Scenario(schema, data, migration)) {
            var findings = byName(s.probe());
            assertEquals(List.of("day", "feel", "m", "n", "qty"), List.copyOf(findings.keySet()),
                    () -> "timestamp to timestamptz (a stable built-in cast) is probed and converts: " + findings);
            for (String col : List.of("qty", "day", "feel", "n")) {
                assertEquals(Rule.DW324, findings.get(col).rule(), findings.get(col)::toString);
            }
            Finding locked = findings.get("m");
            assertEquals(Rule.DW327, locked.rule());
            assertTrue(locked.message().contains("the expression converts to domain public.locked, whose CHECK calls"
                    + " public.lock_ok(integer), which is not an immutable built-in function (it is user code in schema"
                    + " public)"), locked.message());
            assertEquals(0, advisoryLocks(s, 77));
        }
    }

    @Test
    void aUniqueIndexOnAUserFunctionIsNotProbed() throws Exception {
        String schema = "CREATE FUNCTION norm(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower($1)';"
                + " CREATE TABLE users (id int PRIMARY KEY, email text)";
        try (Scenario s = new Scenario(schema, "INSERT INTO users VALUES (1, 'a@x'), (2, 'A@x')",
                "CREATE UNIQUE INDEX users_norm ON users (public.norm(email))")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW327, f.rule());
            assertTrue(f.message().contains("the probe for duplicate keys of unique index public.users.users_norm was"
                    + " not run: the expression calls public.norm(text)"), f.message());
            assertTrue(f.message().endsWith(": SELECT public.norm(email), pg_catalog.count(*) FROM ONLY public.users"
                    + " WHERE public.norm(email) IS NOT NULL GROUP BY 1 HAVING pg_catalog.count(*) > 1"), f.message());
        }
    }

    @Test
    void withoutAVettingNothingFromTheMigrationIsEvaluated() throws Exception {
        try (Scenario s = new Scenario("CREATE TABLE products (id int PRIMARY KEY, price numeric)",
                "INSERT INTO products VALUES (1, -1)",
                "ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0)")) {
            Finding f = only(DataProbes.probe(s.live, SCRIPT, s.changes, s.liveModel, ProbeSettings.defaults(),
                    ProbeVetting.none()));
            assertEquals(Rule.DW327, f.rule());
            assertTrue(f.message().contains("the expression was not checked in the shadow database"), f.message());
        }
    }

    // ---- read-only

    @Test
    void theConnectionIsRestoredAndStillWritable() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int)",
                "INSERT INTO orders VALUES (1, NULL)",
                "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL")) {
            assertTrue(s.live.getAutoCommit());
            assertFalse(s.live.isReadOnly());
            assertEquals(1, s.probe().size());
            assertTrue(s.live.getAutoCommit());
            assertFalse(s.live.isReadOnly());
            exec(s.live, "INSERT INTO orders VALUES (2, 2)"); // not stuck in the read-only transaction

            s.live.setAutoCommit(false);
            assertEquals(1, s.probe().size());
            assertFalse(s.live.getAutoCommit());
            exec(s.live, "INSERT INTO orders VALUES (3, 3)");
            s.live.commit();
            s.live.setAutoCommit(true);
            assertEquals(3, count(s.live, "SELECT count(*) FROM orders"));
        }
    }

    @Test
    void aUserFunctionInACheckIsNotRunOnProduction() throws Exception {
        // declared IMMUTABLE, does whatever it likes: user code is never evaluated on production
        String schema = "CREATE TABLE audit_log (note text);"
                + " CREATE FUNCTION sneaky(p numeric) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS"
                + " $$ BEGIN PERFORM pg_catalog.pg_advisory_lock(4242); RETURN p > 0; END $$;"
                + " CREATE TABLE products (id int PRIMARY KEY, price numeric)";
        try (Scenario s = new Scenario(schema, "INSERT INTO products VALUES (1, -1)",
                "ALTER TABLE products ADD CONSTRAINT price_ok CHECK (public.sneaky(price))")) {
            Finding f = only(s.probe());
            assertEquals(Rule.DW327, f.rule());
            assertEquals(Severity.ERROR, f.severity());
            assertEquals("not probed", f.actual());
            assertEquals("V2__pending.sql: the probe for rows violating check public.products.price_ok was not run:"
                    + " the expression calls public.sneaky(numeric), which is not an immutable built-in function (it is"
                    + " user code in schema public), so the gate did not evaluate it on production; review it, then check"
                    + " by hand where running it is safe (a replica, a restored copy): SELECT pg_catalog.count(*) FROM"
                    + " public.products WHERE NOT (public.sneaky(price))", f.message());
            assertEquals(0, advisoryLocks(s, 4242));
        }
    }

    @Test
    void aConnectionInsideATransactionIsRefusedAndItsWorkKept() throws Exception {
        try (Scenario s = new Scenario(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int)",
                "INSERT INTO orders VALUES (1, NULL)",
                "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL")) {
            s.live.setAutoCommit(false);
            exec(s.live, "INSERT INTO orders VALUES (2, 2)"); // an open read-write transaction
            SQLException e = assertThrows(SQLException.class, s::probe);
            assertEquals("25000", e.getSQLState());
            assertTrue(e.getMessage().startsWith("refusing to probe: the connection cannot be made read-only"), e.getMessage());
            assertFalse(s.live.getAutoCommit());
            s.live.commit(); // the caller's transaction was neither rolled back nor made read-only
            s.live.setAutoCommit(true);
            assertEquals(2, count(s.live, "SELECT count(*) FROM orders"));
        }
    }

    // ---- names

    @Test
    void hostileIdentifiersAreQuoted() throws Exception {
        String schema = "CREATE SCHEMA \"Sales Ω\";"
                + " CREATE TABLE \"Sales Ω\".\"Order \"\"Lines\"\"\" (\"select\" int PRIMARY KEY, \"user\" int,"
                + " \"Ünï code\" text, \"a)b\" int);"
                + " CREATE TABLE \"Sales Ω\".\"Par(ent\" (\"k,ey\" int PRIMARY KEY)";
        String data = "INSERT INTO \"Sales Ω\".\"Par(ent\" VALUES (1);"
                + " INSERT INTO \"Sales Ω\".\"Order \"\"Lines\"\"\" VALUES (1, NULL, 'x', 1), (2, 5, 'x', 9), (3, 6, 'y', 1)";
        String migration = "ALTER TABLE \"Sales Ω\".\"Order \"\"Lines\"\"\" ALTER COLUMN \"user\" SET NOT NULL;"
                + " ALTER TABLE \"Sales Ω\".\"Order \"\"Lines\"\"\" ADD CONSTRAINT \"uniq \"\"ü\"\"\" UNIQUE (\"Ünï code\");"
                + " ALTER TABLE \"Sales Ω\".\"Order \"\"Lines\"\"\" ADD CONSTRAINT \"fk)\" FOREIGN KEY (\"a)b\")"
                + " REFERENCES \"Sales Ω\".\"Par(ent\" (\"k,ey\");"
                + " ALTER TABLE \"Sales Ω\".\"Order \"\"Lines\"\"\" ADD CONSTRAINT \"check\" CHECK (\"a)b\" < 5)";
        try (Scenario s = new Scenario(schema, data, migration)) {
            List<Finding> findings = s.probe();
            assertEquals(List.of(Rule.DW323, Rule.DW322, Rule.DW321, Rule.DW320),
                    findings.stream().map(Finding::rule).sorted((a, b) -> b.compareTo(a)).toList(), findings::toString);
            String table = "\"Sales Ω\".\"Order \"\"Lines\"\"\"";
            for (Finding f : findings) {
                assertTrue(f.message().contains(table), f.message());
                assertTrue(f.actual().equals("1 row") || f.actual().equals("1 duplicated key"), f.toString());
            }
            Finding nulls = findings.stream().filter(f -> f.rule() == Rule.DW320).findFirst().orElseThrow();
            assertEquals(new ObjectRef(ObjectKind.COLUMN, "Sales Ω", "Order \"Lines\"", "user"), nulls.object());
            assertTrue(nulls.message().contains("(\"select\" = 1)"), nulls.message());
            Finding dups = findings.stream().filter(f -> f.rule() == Rule.DW321).findFirst().orElseThrow();
            assertTrue(dups.message().contains("(\"Ünï code\" = 'x' ×2)"), dups.message());
            Finding orphans = findings.stream().filter(f -> f.rule() == Rule.DW322).findFirst().orElseThrow();
            assertTrue(orphans.message().contains("missing from \"Sales Ω\".\"Par(ent\" (\"a)b\" = 9)"), orphans.message());
        }
    }
}
