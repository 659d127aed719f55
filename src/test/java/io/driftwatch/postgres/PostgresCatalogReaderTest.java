package io.driftwatch.postgres;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import static io.driftwatch.postgres.CatalogFixture.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link PostgresCatalogReader} against a real PostgreSQL: exact model values for every object kind. */
class PostgresCatalogReaderTest {

    private final PostgresCatalogReader reader = new PostgresCatalogReader();

    @Test
    void readsEveryObjectKindWithTheServersDeparse() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);

            SchemaModel model = reader.read(c, SchemaFilter.all());

            SchemaModel expected = new SchemaModel(serverVersion(c), List.of("public", "sales"),
                    CatalogFixture.tables(db.server().majorVersion()), CatalogFixture.views(db.server().majorVersion()),
                    CatalogFixture.sequences(), CatalogFixture.enums());
            // piecewise first, for readable failures; then the whole value
            assertEquals(expected.schemas(), model.schemas());
            for (int i = 0; i < expected.tables().size(); i++) {
                assertEquals(expected.tables().get(i), model.tables().get(i));
            }
            assertEquals(expected.views(), model.views());
            assertEquals(expected.sequences(), model.sequences());
            assertEquals(expected.enums(), model.enums());
            assertEquals(expected, model);
        }
    }

    @Test
    void readingTwiceGivesEqualModels() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            SchemaModel first = reader.read(c, SchemaFilter.all());
            SchemaModel second = reader.read(c, SchemaFilter.all());
            assertEquals(first, second);
            assertEquals(8, second.tables().size());
        }
    }

    @Test
    void sameDdlInAnotherDatabaseUnderAnotherSearchPathGivesAnEqualModel() throws Exception {
        try (ShadowDatabase live = TestPostgres.newDatabase(); ShadowDatabase shadow = TestPostgres.newDatabase();
             Connection a = live.connect(); Connection b = shadow.connect()) {
            CatalogFixture.create(a);
            CatalogFixture.create(b);
            try (Statement s = a.createStatement()) {
                // the caller's search_path must not leak into the deparsed text
                s.execute("SET search_path = sales, public");
            }
            assertEquals(reader.read(b, SchemaFilter.all()), reader.read(a, SchemaFilter.all()));
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SHOW search_path")) {
                rs.next();
                assertEquals("sales, public", rs.getString(1));
            }
        }
    }

    @Test
    void roleWithOnlyConnectAndUsageReadsTheSameModel() throws Exception {
        ShadowServer server = TestPostgres.server();
        String role = "dw_reader_" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL).toLowerCase(Locale.ROOT);
        String password = "pw-" + role;
        try {
            try (ShadowDatabase db = TestPostgres.newDatabase()) {
                SchemaModel asOwner;
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    CatalogFixture.create(c);
                    s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
                    s.execute("REVOKE ALL ON DATABASE " + db.name() + " FROM PUBLIC");
                    s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
                    s.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + role);
                    s.execute("GRANT USAGE ON SCHEMA public, sales TO " + role);
                    asOwner = reader.read(c, SchemaFilter.all());
                }
                try (Connection c = DriverManager.getConnection(server.jdbcUrl(db.name()), role, password)) {
                    // the role really cannot read the data, only the catalog
                    try (Statement s = c.createStatement()) {
                        SQLException denied = assertThrows(SQLException.class,
                                () -> s.executeQuery("SELECT count(*) FROM public.orders"));
                        assertEquals("42501", denied.getSQLState());
                    }
                    SchemaModel asAuditor = reader.read(c, SchemaFilter.all());
                    assertEquals(asOwner, asAuditor);
                    assertEquals(8, asAuditor.tables().size());
                }
            }
        } finally {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void schemaFilterReadsExactlyTheNamedSchemasAndSkipsMissingOnes() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            SchemaModel model = reader.read(c, new SchemaFilter(List.of("sales", "no_such_schema"), List.of(), null, null));
            assertEquals(new SchemaModel(serverVersion(c), List.of("sales"),
                    List.of(CatalogFixture.salesOrders()), List.of(), List.of(), List.of()), model);

            SchemaModel none = reader.read(c, new SchemaFilter(List.of("no_such_schema"), List.of(), null, null));
            assertEquals(new SchemaModel(serverVersion(c), List.of(), List.of(), List.of(), List.of(), List.of()), none);
        }
    }

    @Test
    void excludeGlobsDropObjectsAndChildren() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CatalogFixture.create(c);
            SchemaFilter filter = new SchemaFilter(List.of(), List.of(
                    "public.events*",                  // the partitioned table and both partitions
                    "public.Order*",                   // the hostile table
                    "sales.*",                         // every relation in sales (the schema stays)
                    "public.customers",
                    "public.invoice*",                 // the table and its sequence
                    "public.paid_orders",
                    "public.order_status",
                    "public.orders.orders_ref_lower",  // one index
                    "public.orders.total",             // one column
                    "public.orders.*_check",           // one constraint
                    "public.orders_id_seq"), null, null);

            SchemaModel model = reader.read(c, filter);

            Table orders = CatalogFixture.orders();
            Table expectedOrders = new Table("public", "orders", false, null, null, null,
                    orders.columns().stream().filter(x -> !x.name().equals("total")).toList(),
                    orders.constraints().stream().filter(x -> !x.name().endsWith("_check")).toList(),
                    orders.indexes().stream().filter(x -> !x.name().equals("orders_ref_lower")).toList());
            assertEquals(new SchemaModel(serverVersion(c), List.of("public", "sales"), List.of(expectedOrders),
                    List.of(CatalogFixture.views(db.server().majorVersion()).get(0)), List.of(), List.of()), model);

            SchemaModel withoutSales = reader.read(c, new SchemaFilter(List.of(), List.of("sales"), null, null));
            assertEquals(List.of("public"), withoutSales.schemas());
            assertEquals(7, withoutSales.tables().size());
        }
    }

    @Test
    void flywayHistoryTableWithItsIndexIsNotModelled() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE public.flyway_schema_history (
                        installed_rank integer NOT NULL,
                        version varchar(50),
                        success boolean NOT NULL,
                        CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
                    CREATE INDEX flyway_schema_history_s_idx ON public.flyway_schema_history (success);
                    CREATE TABLE public.t (id integer)""");

            SchemaModel model = reader.read(c, new SchemaFilter(List.of(), List.of(), "public", "flyway_schema_history"));
            assertEquals(List.of("t"), model.tables().stream().map(Table::name).toList());

            // another schema's table of the same name is not the version table
            SchemaModel otherSchema = reader.read(c, new SchemaFilter(List.of(), List.of(), "audit", "flyway_schema_history"));
            assertEquals(List.of("flyway_schema_history", "t"), otherSchema.tables().stream().map(Table::name).toList());
            Table history = otherSchema.tables().get(0);
            assertEquals(List.of(new Constraint("flyway_schema_history_pk", Constraint.Type.PRIMARY_KEY,
                    "PRIMARY KEY (installed_rank)", List.of("installed_rank"), null)), history.constraints());
            assertEquals(List.of(new Index("flyway_schema_history_s_idx",
                    "CREATE INDEX flyway_schema_history_s_idx ON public.flyway_schema_history USING btree (success)",
                    false, "btree", null, true)), history.indexes());
        }
    }

    @Test
    void extensionMembersAndExtensionSchemasAreSkipped() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            // plpgsql is installed in every database; making our objects its members is the same
            // pg_depend 'e' row a real extension's objects have
            s.execute("""
                    CREATE SCHEMA ext_owned;
                    CREATE TABLE ext_owned.ext_table (id integer);
                    CREATE TABLE public.ext_member (id integer);
                    CREATE VIEW public.ext_view AS SELECT 1 AS one;
                    CREATE SEQUENCE public.ext_seq;
                    CREATE TYPE public.ext_enum AS ENUM ('a');
                    CREATE TABLE public.mine (id integer);
                    ALTER EXTENSION plpgsql ADD SCHEMA ext_owned;
                    ALTER EXTENSION plpgsql ADD TABLE ext_owned.ext_table;
                    ALTER EXTENSION plpgsql ADD TABLE public.ext_member;
                    ALTER EXTENSION plpgsql ADD VIEW public.ext_view;
                    ALTER EXTENSION plpgsql ADD SEQUENCE public.ext_seq;
                    ALTER EXTENSION plpgsql ADD TYPE public.ext_enum""");

            SchemaModel model = reader.read(c, SchemaFilter.all());
            assertEquals(new SchemaModel(serverVersion(c), List.of("public"),
                    List.of(new Table("public", "mine", false, null, null, null,
                            List.of(col("id", 1, "integer", false, null)), List.of(), List.of())),
                    List.of(), List.of(), List.of()), model);

            // named explicitly, an extension's schema is read (its member table is still skipped)
            SchemaModel named = reader.read(c, new SchemaFilter(List.of("ext_owned"), List.of(), null, null));
            assertEquals(List.of("ext_owned"), named.schemas());
            assertEquals(List.of(), named.tables());
        }
    }

    @Test
    void foreignKeysToPartitionedTablesAreOneConstraintPerReferencingTable() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE p (id integer, k integer, PRIMARY KEY (id, k)) PARTITION BY LIST (k);
                    CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
                    CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2);
                    CREATE TABLE r (id integer, k integer, FOREIGN KEY (id, k) REFERENCES p ON DELETE SET NULL)""");

            SchemaModel model = reader.read(c, SchemaFilter.all());
            Table r = model.tables().stream().filter(t -> t.name().equals("r")).findFirst().orElseThrow();
            // PostgreSQL also stores r_id_k_fkey1 and r_id_k_fkey2 (one per partition of p): internal clones
            assertEquals(List.of(new Constraint("r_id_k_fkey", Constraint.Type.FOREIGN_KEY,
                    "FOREIGN KEY (id, k) REFERENCES public.p(id, k) ON DELETE SET NULL", List.of("id", "k"), "public.p")),
                    r.constraints());
            Table p1 = model.tables().stream().filter(t -> t.name().equals("p1")).findFirst().orElseThrow();
            assertEquals("public.p", p1.partitionOf());
            assertEquals("FOR VALUES IN (1)", p1.partitionBound());
            assertEquals(List.of(new Constraint("p1_pkey", Constraint.Type.PRIMARY_KEY, "PRIMARY KEY (id, k)",
                    List.of("id", "k"), null)), p1.constraints());
        }
    }

    @Test
    void droppedColumnsAndInvalidIndexesAreReportedAsTheCatalogHasThem() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE t (a integer, gone text, b integer);
                    ALTER TABLE t DROP COLUMN gone;
                    INSERT INTO t VALUES (1, 1), (1, 1)""");
            // a failed CREATE UNIQUE INDEX CONCURRENTLY leaves an invalid index behind
            assertThrows(SQLException.class,
                    () -> s.execute("CREATE UNIQUE INDEX CONCURRENTLY t_a_uq ON t (a)"));

            Table t = reader.read(c, SchemaFilter.all()).tables().get(0);
            assertEquals(List.of(col("a", 1, "integer", false, null), col("b", 3, "integer", false, null)), t.columns());
            assertEquals(List.of(new Index("t_a_uq", "CREATE UNIQUE INDEX t_a_uq ON public.t USING btree (a)",
                    true, "btree", null, false)), t.indexes());
        }
    }

    static String serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
