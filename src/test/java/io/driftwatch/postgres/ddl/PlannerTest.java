package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Planner} without a database: statement text, order, hazards and flags. */
class PlannerTest {

    private static final PlanOptions CONCURRENT = new PlanOptions(true, false);
    private static final PlanOptions PLAIN = new PlanOptions(false, false);
    private final Planner planner = new Planner();

    static Column col(String name, int pos, String type, boolean notNull) {
        return new Column(name, pos, type, notNull, null, Column.Identity.NONE, null, null);
    }

    static Table table(String name, List<Column> cols, List<Constraint> cons, List<Index> idx) {
        return new Table("public", name, false, null, null, null, cols, cons, idx);
    }

    static SchemaModel model(List<Table> tables, List<View> views, List<Sequence> seqs, List<EnumType> enums) {
        return new SchemaModel("15.18", List.of("public"), tables, views, seqs, enums);
    }

    static Constraint pk(String name, String column) {
        return new Constraint(name, Constraint.Type.PRIMARY_KEY, "PRIMARY KEY (" + column + ")", List.of(column), null);
    }

    static final Table CUSTOMERS = table("z_customers", List.of(col("id", 1, "bigint", true)),
            List.of(pk("z_customers_pkey", "id")), List.of());
    static final Constraint ORDERS_FK = new Constraint("a_orders_customer_id_fkey", Constraint.Type.FOREIGN_KEY,
            "FOREIGN KEY (customer_id) REFERENCES public.z_customers(id)", List.of("customer_id"), "public.z_customers");
    static final Table ORDERS = table("a_orders",
            List.of(col("id", 1, "bigint", true), col("customer_id", 2, "bigint", false)),
            List.of(pk("a_orders_pkey", "id"), ORDERS_FK), List.of());

    private static List<String> whys(Plan p) {
        return p.statements().stream().map(Statement::why).toList();
    }

    private static Statement only(Plan p) {
        assertEquals(1, p.statements().size(), () -> String.join("\n", whys(p)));
        return p.statements().get(0);
    }

    private static List<HazardType> hazards(Statement s) {
        return s.hazards().stream().map(Hazard::type).toList();
    }

    @Test
    void cloneCreatesSchemaTablesThenKeysThenForeignKeys() {
        SchemaModel to = model(List.of(ORDERS, CUSTOMERS), List.of(), List.of(), List.of());
        Plan plan = planner.plan(SchemaModel.empty(), to, CONCURRENT);
        assertEquals(List.of(
                "create missing schema public",
                "create missing table public.a_orders",
                "create missing table public.z_customers",
                "add primary key public.a_orders.a_orders_pkey of new table public.a_orders",
                "add primary key public.z_customers.z_customers_pkey of new table public.z_customers",
                "add foreign key public.a_orders.a_orders_customer_id_fkey of new table public.a_orders"), whys(plan));
        assertEquals("CREATE SCHEMA IF NOT EXISTS public;", plan.statements().get(0).sql());
        assertEquals("CREATE TABLE IF NOT EXISTS public.a_orders (\n    id bigint NOT NULL,\n    customer_id bigint\n);",
                plan.statements().get(1).sql());
        assertEquals("""
                DO $driftwatch$
                DECLARE
                    dw_search_path text := pg_catalog.current_setting('search_path');
                    dw_row record;
                BEGIN
                    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
                    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = pg_catalog.to_regclass('public.a_orders') AND conname = 'a_orders_customer_id_fkey') THEN
                        EXECUTE 'ALTER TABLE public.a_orders ADD CONSTRAINT a_orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.z_customers(id)';
                    END IF;
                    PERFORM pg_catalog.set_config('search_path', dw_search_path, true);
                END
                $driftwatch$;""", plan.statements().get(5).sql());
        assertFalse(plan.hasNonTransactional(), "indexes and keys of new tables are built in place");
    }

    @Test
    void foreignKeyAddedToExistingTableIsNotValidThenValidated() {
        Table ordersWithoutFk = table("a_orders", ORDERS.columns(), List.of(pk("a_orders_pkey", "id")), List.of());
        Plan plan = planner.plan(model(List.of(ordersWithoutFk, CUSTOMERS), List.of(), List.of(), List.of()),
                model(List.of(ORDERS, CUSTOMERS), List.of(), List.of(), List.of()), CONCURRENT);
        assertEquals(List.of("add missing foreign key public.a_orders.a_orders_customer_id_fkey (NOT VALID, validated next)",
                "validate foreign key public.a_orders.a_orders_customer_id_fkey"), whys(plan));
        assertTrue(plan.statements().get(0).sql().contains("EXECUTE 'ALTER TABLE public.a_orders ADD CONSTRAINT "
                + "a_orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.z_customers(id) NOT VALID';"));
        assertEquals(List.of(HazardType.ACQUIRES_SHARE_LOCK), hazards(plan.statements().get(0)));
        assertEquals("ALTER TABLE public.a_orders VALIDATE CONSTRAINT a_orders_customer_id_fkey;",
                plan.statements().get(1).sql());
        assertEquals(List.of(HazardType.VALIDATES_DATA), hazards(plan.statements().get(1)));
    }

    @Test
    void viewIsDroppedBeforeItsColumnChangesTypeAndCreatedAgainAfter() {
        View v = new View("public", "big_orders", false, " SELECT a_orders.id\n   FROM public.a_orders;");
        View unrelated = new View("public", "other", false, " SELECT 1 AS one\n   FROM public.a_orders_archive;");
        Table changed = table("a_orders", List.of(col("id", 1, "numeric", true), col("customer_id", 2, "bigint", false)),
                List.of(), List.of());
        Table before = table("a_orders", ORDERS.columns(), List.of(), List.of());
        Plan plan = planner.plan(model(List.of(before), List.of(v, unrelated), List.of(), List.of()),
                model(List.of(changed), List.of(v, unrelated), List.of(), List.of()), CONCURRENT);
        assertEquals(List.of("drop dependent view public.big_orders before the objects it uses change",
                "change the type of public.a_orders.id from bigint to numeric",
                "create again view public.big_orders"), whys(plan));
        assertEquals("DROP VIEW IF EXISTS public.big_orders;", plan.statements().get(0).sql());
        assertEquals(List.of(HazardType.HAS_UNTRACKABLE_DEPENDENCIES), hazards(plan.statements().get(0)));
        assertTrue(plan.statements().get(1).sql().contains("EXECUTE 'ALTER TABLE public.a_orders ALTER COLUMN id TYPE "
                + "numeric USING id::numeric';"));
        assertTrue(plan.statements().get(1).sql().contains("pg_catalog.format_type(a.atttypid, a.atttypmod) = 'numeric'"));
        assertEquals(List.of(HazardType.TABLE_REWRITE, HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK),
                hazards(plan.statements().get(1)));
        assertEquals("CREATE OR REPLACE VIEW public.big_orders AS\nSELECT a_orders.id\n   FROM public.a_orders;",
                plan.statements().get(2).sql());
    }

    @Test
    void viewsAreCreatedAfterTheViewsTheyReadAndDroppedBefore() {
        View base = new View("public", "z_base", false, " SELECT 1 AS one;");
        View top = new View("public", "a_top", false, " SELECT z_base.one\n   FROM public.z_base;");
        Plan create = planner.plan(model(List.of(), List.of(), List.of(), List.of()),
                model(List.of(), List.of(base, top), List.of(), List.of()), PLAIN);
        assertEquals(List.of("create missing view public.z_base", "create missing view public.a_top"), whys(create));
        Plan drop = planner.plan(model(List.of(), List.of(base, top), List.of(), List.of()),
                model(List.of(), List.of(), List.of(), List.of()), PLAIN);
        assertEquals(List.of("drop extra view public.a_top", "drop extra view public.z_base"), whys(drop));
    }

    @Test
    void partitionIsCreatedAfterItsParentAndIndexesCascadeWithoutConcurrently() {
        Table parent = new Table("public", "z_events", true, "RANGE (day)", null, null,
                List.of(col("day", 1, "date", true)), List.of(),
                List.of(new Index("z_events_day", "CREATE INDEX z_events_day ON ONLY public.z_events USING btree (day)",
                        false, "btree", null, true)));
        Table part = new Table("public", "a_events_2024", false, null, "public.z_events",
                "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", List.of(col("day", 1, "date", true)), List.of(), List.of());
        Plan plan = planner.plan(model(List.of(), List.of(), List.of(), List.of()),
                model(List.of(part, parent), List.of(), List.of(), List.of()), CONCURRENT);
        assertEquals(List.of(
                "CREATE TABLE IF NOT EXISTS public.z_events (\n    day date NOT NULL\n) PARTITION BY RANGE (day);",
                "CREATE TABLE IF NOT EXISTS public.a_events_2024 PARTITION OF public.z_events "
                        + "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
                "CREATE INDEX IF NOT EXISTS z_events_day ON public.z_events USING btree (day);"),
                plan.statements().stream().map(Statement::sql).toList());

        Table parentWithout = new Table("public", "z_events", true, "RANGE (day)", null, null,
                parent.columns(), List.of(), List.of());
        Statement add = only(planner.plan(model(List.of(parentWithout), List.of(), List.of(), List.of()),
                model(List.of(parent), List.of(), List.of(), List.of()), CONCURRENT));
        assertEquals("CREATE INDEX IF NOT EXISTS z_events_day ON public.z_events USING btree (day);", add.sql());
        assertTrue(add.transactional(), "PostgreSQL refuses CONCURRENTLY on partitioned tables");
    }

    @Test
    void indexesOnExistingTablesFollowTheConcurrentlyOption() {
        Index idx = new Index("a_orders_customer", "CREATE INDEX a_orders_customer ON public.a_orders USING btree (customer_id)",
                false, "btree", null, true);
        Table with = table("a_orders", ORDERS.columns(), List.of(), List.of(idx));
        Table without = table("a_orders", ORDERS.columns(), List.of(), List.of());
        SchemaModel a = model(List.of(without), List.of(), List.of(), List.of());
        SchemaModel b = model(List.of(with), List.of(), List.of(), List.of());

        Statement conc = only(planner.plan(a, b, CONCURRENT));
        assertEquals("CREATE INDEX CONCURRENTLY IF NOT EXISTS a_orders_customer ON public.a_orders USING btree (customer_id);",
                conc.sql());
        assertFalse(conc.transactional());
        assertEquals(List.of(HazardType.INDEX_BUILD, HazardType.NON_TRANSACTIONAL), hazards(conc));
        assertEquals("create missing index public.a_orders.a_orders_customer", conc.why());

        Statement plain = only(planner.plan(a, b, PLAIN));
        assertEquals("CREATE INDEX IF NOT EXISTS a_orders_customer ON public.a_orders USING btree (customer_id);", plain.sql());
        assertTrue(plain.transactional());
        assertEquals(List.of(HazardType.ACQUIRES_SHARE_LOCK, HazardType.INDEX_BUILD), hazards(plain));

        Statement dropConc = only(planner.plan(b, a, CONCURRENT));
        assertEquals("DROP INDEX CONCURRENTLY IF EXISTS public.a_orders_customer;", dropConc.sql());
        assertEquals(List.of(HazardType.INDEX_DROPPED, HazardType.NON_TRANSACTIONAL), hazards(dropConc));
        assertFalse(dropConc.destructive(), "an extra index holds no data");
        Statement dropPlain = only(planner.plan(b, a, PLAIN));
        assertEquals("DROP INDEX IF EXISTS public.a_orders_customer;", dropPlain.sql());
        assertEquals(List.of(HazardType.INDEX_DROPPED, HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK), hazards(dropPlain));
    }

    @Test
    void destructiveStatementsAreMarked() {
        Sequence seq = new Sequence("public", "n", "bigint", 1, 1, 1, Long.MAX_VALUE, 1, false, null);
        View mat = new View("public", "m", true, " SELECT 1 AS one;");
        Table withNote = table("a_orders", List.of(col("id", 1, "bigint", true), col("note", 2, "text", false)),
                List.of(pk("a_orders_pkey", "id")), List.of());
        Table withoutNote = table("a_orders", List.of(col("id", 1, "bigint", true)), List.of(), List.of());
        Plan plan = planner.plan(model(List.of(withNote, CUSTOMERS), List.of(mat), List.of(seq), List.of()),
                model(List.of(withoutNote), List.of(), List.of(), List.of()), PLAIN);
        assertEquals(List.of(
                "drop extra materialized view public.m|true|DROP MATERIALIZED VIEW IF EXISTS public.m;",
                "drop extra primary key public.a_orders.a_orders_pkey|false|ALTER TABLE public.a_orders DROP CONSTRAINT IF EXISTS a_orders_pkey;",
                "drop extra column public.a_orders.note|true|ALTER TABLE public.a_orders DROP COLUMN IF EXISTS note;",
                "drop extra table public.z_customers|true|DROP TABLE IF EXISTS public.z_customers;",
                "drop extra sequence public.n|true|DROP SEQUENCE IF EXISTS public.n;"),
                plan.statements().stream().map(s -> s.why() + "|" + s.destructive() + "|" + s.sql()).toList());
        assertEquals(List.of(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, HazardType.DELETES_DATA), hazards(plan.statements().get(0)));
        assertEquals(List.of(HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK, HazardType.INDEX_DROPPED), hazards(plan.statements().get(1)));
        assertEquals(List.of(HazardType.DELETES_DATA, HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK), hazards(plan.statements().get(2)));
        assertEquals(List.of(HazardType.DELETES_DATA, HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK), hazards(plan.statements().get(3)));
        assertEquals(List.of(HazardType.DELETES_DATA), hazards(plan.statements().get(4)));
        assertEquals("ALTER TABLE public.a_orders DROP CONSTRAINT IF EXISTS a_orders_pkey;\n", plan.executableSql(false));
    }

    @Test
    void enumLabelsAreAddedInPlaceOrTheTypeIsRebuilt() {
        EnumType before = new EnumType("public", "status", List.of("paid", "shipped"));
        EnumType added = new EnumType("public", "status", List.of("new", "paid", "it's", "shipped"));
        Plan add = planner.plan(model(List.of(), List.of(), List.of(), List.of(before)),
                model(List.of(), List.of(), List.of(), List.of(added)), PLAIN);
        assertEquals(List.of("ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'new' BEFORE 'paid';",
                        "ALTER TYPE public.status ADD VALUE IF NOT EXISTS 'it''s' AFTER 'paid';"),
                add.statements().stream().map(Statement::sql).toList());
        assertTrue(add.statements().stream().noneMatch(Statement::destructive));

        EnumType reordered = new EnumType("public", "status", List.of("shipped", "paid"));
        Table orders = table("a_orders", List.of(col("id", 1, "bigint", true),
                new Column("status", 2, "public.status", true, "'paid'::public.status", Column.Identity.NONE, null, null)),
                List.of(), List.of());
        Statement rebuild = only(planner.plan(model(List.of(orders), List.of(), List.of(), List.of(before)),
                model(List.of(orders), List.of(), List.of(), List.of(reordered)), PLAIN));
        assertTrue(rebuild.destructive());
        assertEquals(List.of(HazardType.DELETES_DATA, HazardType.HAS_UNTRACKABLE_DEPENDENCIES, HazardType.TABLE_REWRITE,
                HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK), hazards(rebuild));
        String oldName = "driftwatch_old_" + Integer.toHexString("public.status".hashCode());
        for (String part : List.of(
                "EXECUTE 'ALTER TYPE public.status RENAME TO " + oldName + "';",
                "EXECUTE 'CREATE TYPE public.status AS ENUM (''shipped'', ''paid'')';",
                "EXECUTE 'ALTER TABLE public.a_orders ALTER COLUMN status DROP DEFAULT';",
                "EXECUTE 'ALTER TABLE public.a_orders ALTER COLUMN status TYPE public.status USING status::text::public.status';",
                "EXECUTE 'ALTER TABLE public.a_orders ALTER COLUMN status SET DEFAULT ''paid''::public.status';",
                "EXECUTE 'DROP TYPE public." + oldName + "';")) {
            assertTrue(rebuild.sql().contains(part), part);
        }
    }

    @Test
    void columnChangesUseNaturallyIdempotentFormsWherePossible() {
        Table a = table("t", List.of(new Column("c", 1, "integer", false, "1", Column.Identity.NONE, null, null)),
                List.of(), List.of());
        Table b = table("t", List.of(new Column("c", 1, "integer", true, null, Column.Identity.ALWAYS, null, null)),
                List.of(), List.of());
        Plan plan = planner.plan(model(List.of(a), List.of(), List.of(), List.of()),
                model(List.of(b), List.of(), List.of(), List.of()), PLAIN);
        assertEquals(List.of("drop the default of public.t.c before changing it", "set NOT NULL on public.t.c",
                "make public.t.c an identity column (ALWAYS)"), whys(plan));
        assertTrue(plan.statements().get(0).sql().contains("attidentity = '' AND attgenerated = '') THEN\n"
                + "        EXECUTE 'ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT';"), "guarded: identity columns refuse it");
        assertEquals("ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;", plan.statements().get(1).sql());
        assertEquals(List.of(HazardType.VALIDATES_DATA, HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK),
                hazards(plan.statements().get(1)));
        assertTrue(plan.statements().get(2).sql().contains(
                "EXECUTE 'ALTER TABLE public.t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY';"));
    }

    @Test
    void sequencesAreCreatedBeforeTablesAndOwnedAfter() {
        Sequence seq = new Sequence("public", "t_id_seq", "integer", 1, 1, 1, 2147483647L, 1, false, "public.t.id");
        Table t = table("t", List.of(new Column("id", 1, "integer", true, "nextval('public.t_id_seq'::regclass)",
                Column.Identity.NONE, null, null)), List.of(), List.of());
        Plan plan = planner.plan(model(List.of(), List.of(), List.of(), List.of()),
                model(List.of(t), List.of(), List.of(seq), List.of()), PLAIN);
        assertEquals(List.of(
                "CREATE SEQUENCE IF NOT EXISTS public.t_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 "
                        + "START WITH 1 CACHE 1 NO CYCLE;",
                "CREATE TABLE IF NOT EXISTS public.t (\n    id integer DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL\n);",
                "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;"),
                plan.statements().stream().map(Statement::sql).toList());
    }

    private static final Pattern IDEMPOTENT = Pattern.compile("(?s)^(DO \\$driftwatch(_\\d+)?\\$\n.*"
            + "|CREATE (SCHEMA|TABLE|SEQUENCE|MATERIALIZED VIEW) IF NOT EXISTS .*"
            + "|CREATE (UNIQUE )?INDEX (CONCURRENTLY )?IF NOT EXISTS .*"
            + "|CREATE OR REPLACE VIEW .*"
            + "|DROP (SCHEMA|TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW|TYPE) IF EXISTS .*"
            + "|DROP INDEX (CONCURRENTLY )?IF EXISTS .*"
            + "|ALTER TABLE (IF EXISTS )?\\S+ (ADD COLUMN IF NOT EXISTS|DROP COLUMN IF EXISTS|DROP CONSTRAINT IF EXISTS|VALIDATE CONSTRAINT) .*"
            + "|ALTER TABLE \\S+ ALTER COLUMN \\S+ (SET NOT NULL|DROP NOT NULL|SET DEFAULT .*|DROP DEFAULT|DROP IDENTITY IF EXISTS|DROP EXPRESSION IF EXISTS|SET GENERATED .*);"
            + "|ALTER TYPE \\S+ ADD VALUE IF NOT EXISTS .*"
            + "|ALTER SEQUENCE .*)$");

    @Test
    void everyStatementHasAnIdempotentShape() {
        EnumType e = new EnumType("public", "status", List.of("a", "b"));
        Sequence seq = new Sequence("public", "n", "bigint", 1, 1, 1, Long.MAX_VALUE, 1, false, null);
        View v = new View("public", "v", false, " SELECT a_orders.id\n   FROM public.a_orders;");
        View m = new View("public", "m", true, " SELECT 1 AS one;");
        Table check = table("a_orders", ORDERS.columns(), List.of(pk("a_orders_pkey", "id"), ORDERS_FK,
                new Constraint("a_orders_id_check", Constraint.Type.CHECK, "CHECK ((id > 0))", List.of("id"), null)),
                List.of(new Index("a_orders_c", "CREATE UNIQUE INDEX a_orders_c ON public.a_orders USING btree (customer_id)",
                        true, "btree", null, true)));
        SchemaModel rich = model(List.of(check, CUSTOMERS), List.of(v, m), List.of(seq), List.of(e));
        Table changed = table("a_orders", List.of(col("id", 1, "numeric", true), col("customer_id", 2, "bigint", true),
                        col("extra", 3, "text", false)),
                List.of(pk("a_orders_pkey", "id"),
                        new Constraint("a_orders_id_check", Constraint.Type.CHECK, "CHECK ((id > 1))", List.of("id"), null)),
                List.of(new Index("a_orders_c", "CREATE INDEX a_orders_c ON public.a_orders USING btree (customer_id)",
                        false, "btree", null, true)));
        SchemaModel other = model(List.of(changed), List.of(new View("public", "v", false,
                " SELECT a_orders.id, 2 AS two\n   FROM public.a_orders;")), List.of(),
                List.of(new EnumType("public", "status", List.of("b", "a"))));
        for (Plan p : List.of(planner.plan(SchemaModel.empty(), rich, CONCURRENT), planner.plan(rich, other, CONCURRENT),
                planner.plan(other, rich, PLAIN), planner.plan(rich, SchemaModel.empty(), PLAIN))) {
            assertFalse(p.isEmpty());
            for (Statement s : p.statements()) {
                assertTrue(IDEMPOTENT.matcher(s.sql()).matches(), s.sql());
                assertTrue(s.sql().endsWith(";"), s.sql());
                assertFalse(s.why().contains("\n"), s.why());
            }
        }
    }

    @Test
    void dollarTagAvoidsTextInTheBody() {
        assertEquals("$driftwatch$", PgDdl.dollarTag("SELECT '$$'"));
        assertEquals("$driftwatch_1$", PgDdl.dollarTag("SELECT '$driftwatch$'"));
        assertEquals("$driftwatch_2$", PgDdl.dollarTag("SELECT '$driftwatch$', '$driftwatch_1$'"));
    }

    @Test
    void mentionsMatchWholeQualifiedNamesOnly() {
        assertTrue(ViewGraph.mentions(" SELECT o.id\n   FROM public.orders o;", "public.orders"));
        assertFalse(ViewGraph.mentions(" SELECT o.id\n   FROM public.orders_archive o;", "public.orders"));
        assertFalse(ViewGraph.mentions(" SELECT o.id\n   FROM xpublic.orders o;", "public.orders"));
        assertTrue(ViewGraph.mentions("FROM \"S\".\"T x\";", "\"S\".\"T x\""));
        assertFalse(ViewGraph.mentions("FROM \"S\".\"T x\"\"y\";", "\"S\".\"T x\""));
    }

    @Test
    void indexTailKeepsQuotedNamesAndRejectsOtherText() {
        Index hostile = new Index("a \"b\" ON c", "CREATE INDEX \"a \"\"b\"\" ON c\" ON public.t USING btree (x)",
                false, "btree", null, true);
        assertEquals("ON public.t USING btree (x)", PgDdl.indexTail(hostile));
        assertEquals("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"a \"\"b\"\" ON c\" ON public.t USING btree (x)",
                PgDdl.createIndex(hostile, true, false));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PgDdl.indexTail(new Index("x", "DROP TABLE t", false, "btree", null, true)));
    }
}
