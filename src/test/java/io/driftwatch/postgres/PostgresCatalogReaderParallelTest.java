package io.driftwatch.postgres;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel catalog read (several connections sharing one exported snapshot): the same snapshot
 * bytes as the serial read on a schema with every object kind, the workers really inside the first
 * connection's snapshot, read only and closed, the fallback to one connection, and the errors.
 */
class PostgresCatalogReaderParallelTest {

    /** Every object kind the reader models beyond {@link CatalogFixture}'s tables, views, sequences and enums. */
    private static final String MORE_KINDS = """
            CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
            CREATE TYPE public.pair AS (a integer, b text);
            CREATE TYPE public.floatrange AS RANGE (subtype = float8);
            CREATE COLLATION public.german (provider = libc, locale = 'C');
            CREATE FUNCTION public.add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
            CREATE PROCEDURE public.noop() LANGUAGE plpgsql AS $$ BEGIN END $$;
            CREATE AGGREGATE public.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
            CREATE TABLE public.audited (id integer PRIMARY KEY, owner_name text);
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER audited_touch BEFORE UPDATE ON public.audited FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
            CREATE EVENT TRIGGER dw_test_ddl ON ddl_command_end EXECUTE FUNCTION public.on_ddl();
            ALTER TABLE public.audited ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_rows ON public.audited USING (owner_name = current_user);
            CREATE MATERIALIZED VIEW public.audited_ids AS SELECT id FROM public.audited;
            CREATE INDEX audited_ids_id ON public.audited_ids (id);
            COMMENT ON TABLE public.audited IS 'rows with an owner';
            COMMENT ON COLUMN public.audited.owner_name IS 'who owns the row';
            COMMENT ON FUNCTION public.add_one(integer) IS 'adds one';
            GRANT SELECT ON public.audited TO PUBLIC;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
            CREATE UNLOGGED TABLE public.scratch (v text);
            CREATE STATISTICS public.audited_stats ON id, owner_name FROM public.audited;
            """;

    private static final SchemaFilter EVERYTHING = SchemaFilter.all().withAccess(true, true, Map.of());

    private final PostgresCatalogReader reader = new PostgresCatalogReader();

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {1, 2, 3, 4})
    void parallelReadWritesTheSerialReadsSnapshotBytes(int connections) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            try (Statement s = c.createStatement()) {
                s.execute(MORE_KINDS);
            }
            try {
                for (SchemaFilter filter : List.of(SchemaFilter.all(), EVERYTHING)) {
                    String serial = SnapshotCodec.write(reader.read(c, filter));
                    List<String> notes = new ArrayList<>();
                    List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
                    SchemaModel parallel = reader.read(c, filter, () -> {
                        Connection w = db.connect();
                        opened.add(w);
                        return w;
                    }, connections, notes::add);

                    assertEquals(serial, SnapshotCodec.write(parallel));
                    assertEquals(List.of(), notes);
                    assertEquals(connections - 1, opened.size());
                    for (Connection w : opened) {
                        assertTrue(w.isClosed(), "worker connection closed");
                    }
                }
                // the schema really has every kind, so the comparison covers every query
                Set<ObjectKind> kinds = reader.read(c, EVERYTHING, db::connect, connections, line -> { })
                        .objects().stream().map(o -> o.ref().kind()).collect(Collectors.toCollection(
                                () -> EnumSet.noneOf(ObjectKind.class)));
                assertEquals(EnumSet.of(ObjectKind.DOMAIN, ObjectKind.COMPOSITE_TYPE, ObjectKind.RANGE_TYPE,
                        ObjectKind.COLLATION, ObjectKind.FUNCTION, ObjectKind.PROCEDURE, ObjectKind.AGGREGATE,
                        ObjectKind.TRIGGER, ObjectKind.EVENT_TRIGGER, ObjectKind.POLICY, ObjectKind.INDEX,
                        ObjectKind.COMMENT, ObjectKind.PRIVILEGE, ObjectKind.DEFAULT_PRIVILEGE, ObjectKind.OWNER),
                        kinds);
                assertFalse(reader.read(c, SchemaFilter.all(), db::connect, connections, line -> { })
                        .notAudited().isEmpty(), "extended statistics are read as not audited");
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP EVENT TRIGGER dw_test_ddl"); // database-wide: do not disturb other tests
                }
            }
        }
    }

    @Test
    void workersReadInsideTheFirstConnectionsSnapshotReadOnly() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Connection other = db.connect()) {
            CatalogFixture.create(c);
            CountDownLatch workerQueried = new CountDownLatch(1);
            List<String> seenByWorker = Collections.synchronizedList(new ArrayList<>());
            // the first connection waits (bounded) at its first query after the schema query until the
            // worker ran one
            java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();
            Connection primary = spy(c, sql -> {
                if (prepared.incrementAndGet() > 1) {
                    awaitQuietly(workerQueried);
                }
            });
            SchemaModel model = reader.read(primary, SchemaFilter.all(), () -> {
                // committed after the first connection exported its snapshot, before the worker imports it
                try (Statement s = other.createStatement()) {
                    s.execute("CREATE TABLE public.created_after_export (id integer)");
                }
                Connection w = db.connect();
                return spy(w, sql -> {
                    if (seenByWorker.isEmpty()) {
                        try (Statement s = w.createStatement();
                             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_catalog.pg_class "
                                     + "WHERE relname = 'created_after_export')::text, "
                                     + "pg_catalog.current_setting('transaction_read_only'), "
                                     + "pg_catalog.current_setting('transaction_isolation'), "
                                     + "pg_catalog.current_setting('lock_timeout'), "
                                     + "pg_catalog.current_setting('search_path')")) {
                            rs.next();
                            for (int i = 1; i <= 5; i++) {
                                seenByWorker.add(rs.getString(i));
                            }
                        }
                        try (Statement s = w.createStatement()) {
                            s.execute("SAVEPOINT probe");
                            try {
                                s.execute("CREATE TABLE public.written_by_worker (id integer)");
                                seenByWorker.add("write succeeded");
                            } catch (SQLException e) {
                                seenByWorker.add(e.getSQLState());
                            }
                            s.execute("ROLLBACK TO SAVEPOINT probe");
                        }
                        workerQueried.countDown();
                    }
                });
            }, 2, line -> { throw new AssertionError("no note expected: " + line); });

            assertEquals(List.of("0", "on", "repeatable read", "5s", "pg_catalog", "25006"), seenByWorker);
            assertFalse(model.tables().stream().anyMatch(t -> t.name().equals("created_after_export")));
            assertTrue(reader.read(c, SchemaFilter.all()).tables().stream()
                    .anyMatch(t -> t.name().equals("created_after_export")), "a new read sees it");
        }
    }

    @Test
    void fallsBackToOneConnectionWithANoteWhenNoMoreCanBeOpened() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            String serial = SnapshotCodec.write(reader.read(c, EVERYTHING));
            List<String> notes = new ArrayList<>();
            SchemaModel model = reader.read(c, EVERYTHING, () -> {
                throw new SQLException("FATAL: sorry, too many clients already\n  more detail", "53300");
            }, 3, notes::add);

            assertEquals(serial, SnapshotCodec.write(model));
            assertEquals(List.of(
                    "catalog read: connection 2 not used (cannot open it: FATAL: sorry, too many clients already); "
                            + "its queries ran on the others",
                    "catalog read: connection 3 not used (cannot open it: FATAL: sorry, too many clients already); "
                            + "its queries ran on the others"),
                    notes.stream().sorted().toList());
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
        }
    }

    @Test
    void fallsBackWithANoteWhenTheServerRefusesTheSnapshotImport() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); ShadowDatabase elsewhere = TestPostgres.newDatabase();
             Connection c = db.connect()) {
            CatalogFixture.create(c);
            String serial = SnapshotCodec.write(reader.read(c, SchemaFilter.all()));
            List<String> notes = new ArrayList<>();
            List<Connection> opened = new ArrayList<>();
            // as through a pooler that hands out another server session: the snapshot is not importable there
            SchemaModel model = reader.read(c, SchemaFilter.all(), () -> {
                Connection w = elsewhere.connect();
                opened.add(w);
                return w;
            }, 2, notes::add);

            assertEquals(serial, SnapshotCodec.write(model));
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).startsWith("catalog read: connection 2 not used (the server refused the snapshot "
                    + "import: ERROR: cannot import a snapshot from a different database"), notes.get(0));
            assertTrue(opened.get(0).isClosed());
        }
    }

    @Test
    void aLockTimeoutOnAnyConnectionSurfacesAs55P03AndClosesTheWorkers() throws Exception {
        PostgresCatalogReader quick = new PostgresCatalogReader(Duration.ofMillis(300), Duration.ofSeconds(30));
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect();
             Connection locker = db.connect()) {
            CatalogFixture.create(c);
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                // the trigger and comment queries read pg_trigger: they wait on whichever connection runs them
                s.execute("LOCK TABLE pg_catalog.pg_trigger IN ACCESS EXCLUSIVE MODE");
            }
            List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
            SQLException e = assertThrows(SQLException.class, () -> quick.read(c, SchemaFilter.all(), () -> {
                Connection w = db.connect();
                opened.add(w);
                return w;
            }, 3, line -> { }));
            locker.rollback();

            assertEquals("55P03", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().startsWith("catalog query "), e.getMessage());
            assertTrue(c.getAutoCommit());
            assertFalse(c.isReadOnly());
            for (Connection w : opened) {
                assertTrue(w.isClosed(), "worker connection closed");
            }
        }
    }

    @Test
    void connectionCountIsChecked() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            assertThrows(IllegalArgumentException.class,
                    () -> reader.read(c, SchemaFilter.all(), db::connect, 0, line -> { }));
            assertThrows(IllegalArgumentException.class, () -> reader.read(c, SchemaFilter.all(), db::connect,
                    PostgresCatalogReader.MAX_CONNECTIONS + 1, line -> { }));
            assertEquals(2, PostgresCatalogReader.DEFAULT_CONNECTIONS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface BeforePrepare {
        void run(String sql) throws SQLException;
    }

    /** A connection that runs {@code hook} before each {@code prepareStatement(sql)}, then delegates. */
    private static Connection spy(Connection target, BeforePrepare hook) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                hook.run(sql);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
