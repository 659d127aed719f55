package io.driftwatch.postgres.gate;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ProbeVetting} against a real PostgreSQL: which expressions the gate may evaluate on production.
 * Each case is an expression over {@code t} and the verdict: {@code ""} for safe, else the start of the reason.
 */
class ProbeVettingTest {

    private static final String SCHEMA = "CREATE TYPE mood AS ENUM ('ok', 'meh');"
            + " CREATE TYPE pair AS (a int, b text);"
            + " CREATE DOMAIN positive AS int CHECK (VALUE > 0);"
            + " CREATE DOMAIN very_positive AS positive CHECK (VALUE > 1);"
            + " CREATE FUNCTION lock_ok(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT pg_advisory_lock(1) IS NOT NULL';"
            + " CREATE DOMAIN locked AS int CHECK (public.lock_ok(VALUE));"
            + " CREATE DOMAIN locked_too AS locked;"
            + " CREATE FUNCTION is_positive(numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 0';"
            + " CREATE FUNCTION num_eq(numeric, numeric) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';"
            + " CREATE OPERATOR public.=== (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = public.num_eq);"
            + " CREATE OPERATOR public.==== (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = pg_catalog.numeric_eq,"
            + "   RESTRICT = pg_catalog.eqsel);"
            // its body does not parse under search_path pg_catalog: vetting must not plan (inline) it
            + " CREATE FUNCTION to_mood(int) RETURNS mood LANGUAGE sql IMMUTABLE AS $$SELECT 'ok'::mood$$;"
            + " CREATE CAST (int AS mood) WITH FUNCTION to_mood(int);"
            + " CREATE SEQUENCE s;"
            + " CREATE TABLE t (id int PRIMARY KEY, price numeric, name text, day text, at timestamp,"
            + "   placed_at timestamptz, feel mood, tags text[], p pair, n int, js jsonb, \"Odd Col\" int)";

    @Test
    void onlyImmutableBuiltInsPass() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        // probed: built-in immutable functions and operators, built-in conversions
        cases.put("(price > (0)::numeric)", "");
        cases.put("(length(name) < 10)", "");
        cases.put("((lower(name) = 'x'::text) AND (\"Odd Col\" IS NOT NULL) OR (n IS DISTINCT FROM 3))", "");
        cases.put("(name = ANY (ARRAY['a'::text, 'b'::text]))", "");
        cases.put("(NULLIF(n, 1) > GREATEST(n, 3, COALESCE(n, 0)))", "");
        cases.put("(CASE WHEN (n > 1) THEN true ELSE (name ~~ 'a%'::text) END)", "");
        cases.put("((ROW(n, n) < ROW(1, 2)) AND ((p).a > 0) AND ((tags)[1] <> ''::text) AND ((js -> 'a'::text) IS NULL))", "");
        cases.put("(feel <> 'meh'::public.mood)", "");
        cases.put("(day)::date", "");
        cases.put("(at)::timestamp with time zone", "");
        cases.put("(placed_at)::date", "");
        cases.put("(feel)::text", "");
        cases.put("(name)::public.mood", "");
        cases.put("(tags)::integer[]", "");
        cases.put("(n)::public.very_positive", "");
        cases.put("(name)::character varying(3)", "");
        cases.put("(price OPERATOR(public.====) (1)::numeric)", "");
        // not probed
        cases.put("(pg_advisory_lock((424242)::bigint) IS NOT NULL)",
                "calls pg_catalog.pg_advisory_lock(bigint), which is not an immutable built-in function (it is volatile)");
        cases.put("(pg_notify('c'::text, name) IS NOT NULL)", "calls pg_catalog.pg_notify(text,text)");
        cases.put("(nextval('public.s'::regclass) > 0)", "calls pg_catalog.nextval(regclass)");
        cases.put("(random() < (2)::double precision)", "calls pg_catalog.random()");
        cases.put("(placed_at <= now())", "calls pg_catalog.now(), which is not an immutable built-in function (it is stable)");
        cases.put("pg_terminate_backend(pg_backend_pid())", "calls pg_catalog.pg_terminate_backend(");
        cases.put("public.is_positive(price)",
                "calls public.is_positive(numeric), which is not an immutable built-in function (it is user code in schema public)");
        cases.put("(price OPERATOR(public.===) (1)::numeric)", "uses operator public.===(numeric,numeric), which calls"
                + " public.num_eq(numeric,numeric), not an immutable built-in function (it is user code in schema public)");
        cases.put("(CURRENT_DATE > '2000-01-01'::date)", "uses CURRENT_DATE, CURRENT_USER or a similar SQL value function");
        cases.put("((n)::public.mood IS NOT NULL)", "calls public.to_mood(integer)");
        // immutable with a constant argument: planning would fold it, i.e. run it (and take lock 1)
        cases.put("public.lock_ok(1)", "calls public.lock_ok(integer), which is not an immutable built-in function");
        cases.put("(n)::public.locked", "converts to domain public.locked, whose CHECK calls public.lock_ok(integer)");
        cases.put("(n)::public.locked_too", "converts to domain public.locked, whose CHECK calls public.lock_ok(integer)");
        cases.put("((SELECT 1) = 1)", "could not be checked: the shadow database could not parse it (ERROR: cannot use"
                + " subquery in check constraint)");
        cases.put("(no_such_column > 0)", "could not be checked: the shadow database could not parse it (ERROR: column"
                + " \"no_such_column\" does not exist)");
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, SCHEMA);
            SchemaModel model = new PostgresCatalogReader().read(c, SchemaFilter.all());
            List<ProbeVetting.Subject> subjects = new ArrayList<>();
            for (String sql : cases.keySet()) {
                subjects.add(new ProbeVetting.Expression("public", "t", sql));
            }
            ProbeVetting vetting = ProbeVetting.vet(c, subjects, model);
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, String> e : cases.entrySet()) {
                Optional<String> why = vetting.whyNot(new ProbeVetting.Expression("public", "t", e.getKey()));
                boolean ok = e.getValue().isEmpty() ? why.isEmpty() : why.isPresent() && why.get().startsWith(e.getValue());
                if (!ok) {
                    wrong.add(e.getKey() + " -> " + why.orElse("safe") + " (expected " + (e.getValue().isEmpty()
                            ? "safe" : e.getValue()) + ")");
                }
            }
            assertEquals(List.of(), wrong);
            // everything was rolled back: no temporary table left, the connection back in auto-commit
            assertTrue(c.getAutoCommit());
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname LIKE 'dw_vet%'")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            // and nothing was evaluated, not even in the shadow: no advisory lock taken by this session
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    @Test
    void typeInputsAndUnknownSubjects() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            exec(c, SCHEMA);
            SchemaModel model = new PostgresCatalogReader().read(c, SchemaFilter.all());
            List<ProbeVetting.Subject> subjects = List.of(new ProbeVetting.TypeInput("integer"),
                    new ProbeVetting.TypeInput("public.mood"), new ProbeVetting.TypeInput("public.very_positive"),
                    new ProbeVetting.TypeInput("public.pair"), new ProbeVetting.TypeInput("date[]"),
                    new ProbeVetting.TypeInput("public.locked"), new ProbeVetting.TypeInput("public.no_such_type"),
                    new ProbeVetting.Expression("public", "gone", "(x > 0)"));
            ProbeVetting v = ProbeVetting.vet(c, subjects, model);
            for (ProbeVetting.Subject safe : subjects.subList(0, 5)) {
                assertEquals(Optional.empty(), v.whyNot(safe), safe::toString);
            }
            assertTrue(v.whyNot(subjects.get(5)).orElseThrow().startsWith("converts to domain public.locked, whose CHECK"
                    + " calls public.lock_ok(integer)"), v.whyNot(subjects.get(5))::toString);
            assertTrue(v.whyNot(subjects.get(6)).orElseThrow().startsWith("could not be checked: the shadow database does"
                    + " not know type public.no_such_type"), v.whyNot(subjects.get(6))::toString);
            assertEquals(Optional.of("runs on public.gone, which the live model does not hold"), v.whyNot(subjects.get(7)));
            // what was never vetted is never safe
            assertEquals(Optional.of("was not checked in the shadow database"),
                    v.whyNot(new ProbeVetting.Expression("public", "t", "(price > (1)::numeric)")));
            assertFalse(ProbeVetting.none().whyNot(List.of(new ProbeVetting.TypeInput("integer"))).isEmpty());
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
