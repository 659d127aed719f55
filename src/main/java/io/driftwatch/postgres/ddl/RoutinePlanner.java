package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Functions and procedures ({@link ObjectKind#FUNCTION}, {@link ObjectKind#PROCEDURE}; attributes
 * from {@code routines.sql}): created and changed in {@link Phase#ROUTINES} from their
 * {@code pg_get_functiondef} text, dropped in {@link Phase#DROP_ROUTINES} after the tables,
 * triggers and views that used them are gone.
 *
 * <p>Create and modify are one guarded statement (PostgreSQL docs, CREATE FUNCTION / CREATE
 * PROCEDURE): when no routine of that identity has exactly the wanted definition, {@code EXECUTE}
 * the {@code CREATE OR REPLACE} text; when the server refuses the replacement (SQLSTATE 42P13
 * {@code invalid_function_definition}: return type, argument names or defaults changed; 42809
 * {@code wrong_object_type}: a function where a procedure must be, or the reverse) the block drops
 * the routine of the same argument types ({@code DROP ROUTINE IF EXISTS}) and creates it. That
 * drop fails while triggers, column defaults or views depend on the routine: hazard
 * {@link HazardType#HAS_UNTRACKABLE_DEPENDENCIES}.
 *
 * <p>{@code check_function_bodies}: routine bodies may name tables that are created later in the
 * plan ({@link Phase#CREATE_TABLES} runs after {@link Phase#ROUTINES}), so every creating block
 * turns the setting off with {@code set_config(..., true)} (transaction-local) before the
 * {@code CREATE} and puts the previous value back after it. Choosing this over a separate
 * {@code SET check_function_bodies = off} statement keeps each statement self-contained (a bridge
 * may be run statement by statement, and the setting never leaks into the rest of the session).
 * SQL-standard bodies ({@code BEGIN ATOMIC}) are parsed regardless and need their tables to exist.
 * A routine whose result or argument types are row types of tables or views is created later, at
 * the start of {@link Phase#TRIGGERS} (see {@link #phase}).
 *
 * <p>Drops are guarded by kind and identity ({@code name(identity arguments)}), so a routine that
 * the same plan re-created under the same argument types (a rename of an argument, a function
 * turned into a procedure) is left alone. A drop is not marked destructive: it loses code that the
 * migrations hold, no data (like a dropped view); its hazard says dependents block it.
 */
final class RoutinePlanner implements ObjectPlanner {

    /** rank of functions and procedures in their phases; aggregates come after (create) / before (drop) */
    static final int RANK = 0;

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(phase(o, e), RANK, createSql(o), o.ref(), List.of(), true, false,
                "create missing " + o.ref());
    }

    /**
     * @return {@link Phase#ROUTINES}, or {@link Phase#TRIGGERS} (rank {@value #RANK}, before the
     *         triggers) when the routine's result or argument types name a table or view of the
     *         target model (row types exist only once their relation is created); a column default
     *         calling such a routine is not supported
     */
    static Phase phase(CatalogObject o, Emitter e) {
        String types = (o.attr("returns") == null ? "" : o.attr("returns")) + " | "
                + (o.attr("arguments") == null ? "" : o.attr("arguments"));
        List<String> relations = new ArrayList<>();
        e.to().tables().forEach(t -> relations.add(Identifiers.qualified(t.schema(), t.name())));
        e.to().views().forEach(v -> relations.add(Identifiers.qualified(v.schema(), v.name())));
        for (String rel : relations) {
            if (Pattern.compile("(?<![\\w$\".])" + Pattern.quote(rel) + "(?![\\w$\"])").matcher(types).find()) {
                return Phase.TRIGGERS;
            }
        }
        return Phase.ROUTINES;
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        String verb = o.kind() == ObjectKind.PROCEDURE ? "PROCEDURE" : "FUNCTION";
        String prokind = o.kind() == ObjectKind.PROCEDURE ? "p" : "f";
        e.add(Phase.DROP_ROUTINES, RANK + 1,
                PgDdl.guarded(exists(o.ref(), "p.prokind = " + PgDdl.lit(prokind)),
                        List.of(PgDdl.exec("DROP " + verb + " IF EXISTS " + o.attr("signature")))),
                o.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops " + o.ref()
                        + "; fails while triggers, column defaults, views or other routines still use it")),
                true, false, "drop extra " + o.ref());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        e.add(phase(to, e), RANK, createSql(to), to.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "replaces " + to.ref()
                        + " (" + String.join(", ", changed) + "); when the server refuses the replacement"
                        + " (return type, argument names or defaults) it is dropped and created again:"
                        + " that fails while triggers, defaults or views use it, and its grants are lost")),
                true, false, "replace " + to.ref() + " (" + String.join(", ", changed) + ")");
    }

    /**
     * @return the guarded {@code CREATE OR REPLACE} block with its drop-and-create fallback, run
     *         only when no routine of that identity has exactly the wanted definition
     */
    static String createSql(CatalogObject o) {
        String def = o.attr("definition").stripTrailing();
        String cond = "NOT " + exists(o.ref(), "CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) END = "
                + PgDdl.lit(o.attr("definition")));
        List<String> body = new ArrayList<>(withoutBodyChecks(List.of(
                "BEGIN",
                "    " + PgDdl.exec(def),
                "EXCEPTION WHEN invalid_function_definition OR wrong_object_type THEN",
                "    " + PgDdl.exec("DROP ROUTINE IF EXISTS " + o.attr("signature")),
                "    " + PgDdl.exec(def),
                "END;")));
        return PgDdl.guarded(cond, body);
    }

    /**
     * Wraps PL/pgSQL statements so they run with {@code check_function_bodies = off}
     * (transaction-local), restoring the previous value afterwards.
     */
    static List<String> withoutBodyChecks(List<String> body) {
        List<String> out = new ArrayList<>();
        out.add("SELECT pg_catalog.current_setting('check_function_bodies') AS v INTO dw_row;");
        out.add("PERFORM pg_catalog.set_config('check_function_bodies', 'off', true);");
        out.addAll(body);
        out.add("PERFORM pg_catalog.set_config('check_function_bodies', dw_row.v, true);");
        return out;
    }

    /**
     * @param ref   a routine's identity: schema and {@code name(identity arguments)}
     * @param extra further condition on {@code p} (a {@code pg_proc} row), e.g. its kind
     * @return condition: a routine of that schema and identity exists and {@code extra} holds;
     *         never raises, also when the schema or an argument type is gone
     */
    static String exists(ObjectRef ref, String extra) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = " + PgDdl.lit(ref.schema())
                + " AND p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' = "
                + PgDdl.lit(ref.name()) + " AND " + extra + ")";
    }
}
