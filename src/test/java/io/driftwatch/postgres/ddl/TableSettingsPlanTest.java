package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.PlanOptions;
import io.driftwatch.plan.Statement;
import io.driftwatch.model.Column;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table settings, identity options and view options in the {@link Planner} without a database:
 * statement text and the absence of partition statements for settings-only changes. Convergence
 * against a real server is in the {@code table_*}, {@code identity_options_change},
 * {@code view_*} and {@code matview_storage_option} cases of {@code ConvergenceTest}.
 */
class TableSettingsPlanTest {

    private static final PlanOptions PLAIN = new PlanOptions(false, true);

    private static Table table(String name, boolean unlogged, boolean rls, boolean force, List<String> options,
                               List<String> inherits) {
        return new Table("public", name, false, null, null, null,
                List.of(new Column("id", 1, "integer", true, null, Column.Identity.NONE, null, null)),
                List.of(), List.of(), unlogged, rls, force, options, inherits);
    }

    private static SchemaModel model(List<Table> tables, List<View> views) {
        return new SchemaModel("15.18", List.of("public"), tables, views, List.<Sequence>of(), List.<EnumType>of());
    }

    private static String sql(SchemaModel from, SchemaModel to) {
        return String.join("\n", new Planner().plan(from, to, PLAIN).statements().stream()
                .map(Statement::sql).toList());
    }

    @Test
    void settingsOnlyChangeEmitsAlterTableAndNoPartitionStatement() {
        Table a = table("t", false, false, false, List.of("fillfactor=70", "autovacuum_enabled=false"), List.of());
        Table b = table("t", true, true, true, List.of("fillfactor=90"), List.of());
        String sql = sql(model(List.of(a), List.of()), model(List.of(b), List.of()));
        assertTrue(sql.contains("ALTER TABLE public.t SET UNLOGGED"), sql);
        assertTrue(sql.contains("relpersistence = 'p'"), sql);
        assertTrue(sql.contains("ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;"), sql);
        assertTrue(sql.contains("ALTER TABLE public.t FORCE ROW LEVEL SECURITY;"), sql);
        assertTrue(sql.contains("ALTER TABLE public.t SET (fillfactor=90);"), sql);
        assertTrue(sql.contains("ALTER TABLE public.t RESET (autovacuum_enabled);"), sql);
        assertFalse(sql.contains("PARTITION"), sql);
    }

    @Test
    void createTableCarriesUnloggedInheritsAndStorageParameters() {
        Table parent = table("Parent Table", false, false, false, List.of(), List.of());
        Table child = table("child", true, true, false, List.of("fillfactor=80"), List.of("public.\"Parent Table\""));
        String sql = sql(model(List.of(), List.of()), model(List.of(parent, child), List.of()));
        assertTrue(sql.contains("CREATE UNLOGGED TABLE IF NOT EXISTS public.child (\n    id integer NOT NULL\n)"
                + " INHERITS (public.\"Parent Table\") WITH (fillfactor=80);"), sql);
        assertTrue(sql.indexOf("public.\"Parent Table\" (") < sql.indexOf("public.child ("), "parent first: " + sql);
        assertTrue(sql.contains("ALTER TABLE public.child ENABLE ROW LEVEL SECURITY;"), sql);
    }

    @Test
    void inheritanceChangesAreGuarded() {
        Table p = table("p", false, false, false, List.of(), List.of());
        Table q = table("q", false, false, false, List.of(), List.of());
        Table a = table("c", false, false, false, List.of(), List.of("public.p"));
        Table b = table("c", false, false, false, List.of(), List.of("public.q"));
        String sql = sql(model(List.of(p, q, a), List.of()), model(List.of(p, q, b), List.of()));
        assertTrue(sql.indexOf("c NO INHERIT public.p") < sql.indexOf("c INHERIT public.q"), "NO INHERIT first: " + sql);
        assertTrue(sql.contains("EXECUTE 'ALTER TABLE public.c NO INHERIT public.p';"), sql);
        assertTrue(sql.contains("EXECUTE 'ALTER TABLE public.c INHERIT public.q';"), sql);
        assertTrue(sql.contains("inhparent = pg_catalog.to_regclass('public.q')"), sql);
    }

    @Test
    void identityOptionsInDefinitionsAndAlterColumn() {
        Column c = new Column("id", 1, "integer", true, null, Column.Identity.ALWAYS, null, null,
                "AS integer INCREMENT BY 10 MINVALUE 5 MAXVALUE 2147483647 START WITH 100 CACHE 20 CYCLE");
        assertEquals("id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 10 MINVALUE 5 MAXVALUE 2147483647"
                + " START WITH 100 CACHE 20 CYCLE) NOT NULL", PgDdl.columnDefinition(c));
        assertEquals("SET INCREMENT BY -1 SET MINVALUE -9223372036854775808 SET MAXVALUE -1 SET START WITH -1"
                        + " SET CACHE 1 SET NO CYCLE",
                PgDdl.identitySetOptions("AS bigint INCREMENT BY -1 MINVALUE -9223372036854775808 MAXVALUE -1"
                        + " START WITH -1 CACHE 1 NO CYCLE"));
        assertEquals("SET INCREMENT BY 1 SET MINVALUE 1 SET MAXVALUE 9 SET START WITH 1 SET CACHE 1 SET CYCLE",
                PgDdl.identitySetOptions("AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 START WITH 1 CACHE 1 CYCLE"));
    }

    @Test
    void optionsAreQuotedWhenNeeded() {
        assertEquals("(fillfactor=70, autovacuum_vacuum_scale_factor=0.05, check_option=local)",
                PgDdl.optionList(List.of("fillfactor=70", "autovacuum_vacuum_scale_factor=0.05", "check_option=local")));
        assertEquals("\"Odd Key\"='a b'", PgDdl.option("Odd Key=a b"));
        assertEquals("(fillfactor)", PgDdl.resetList(List.of("fillfactor=70", "x=1"), List.of("x=2")));
    }

    @Test
    void viewOptionsOnlyAlterTheView() {
        View a = new View("public", "v", false, " SELECT 1 AS x;", List.of("check_option=local"));
        View b = new View("public", "v", false, " SELECT 1 AS x;", List.of("security_barrier=true"));
        String sql = sql(model(List.of(), List.of(a)), model(List.of(), List.of(b)));
        assertEquals("ALTER VIEW public.v SET (security_barrier=true);\nALTER VIEW public.v RESET (check_option);", sql);
        View m = new View("public", "m", true, " SELECT 1 AS x;", List.of("fillfactor=50"));
        assertTrue(PgDdl.createView(m).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS public.m WITH (fillfactor=50) AS\n"),
                PgDdl.createView(m));
    }
}
