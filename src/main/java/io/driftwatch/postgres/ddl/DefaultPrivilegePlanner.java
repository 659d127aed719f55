package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.List;
import java.util.Map;

/**
 * Default privileges ({@link io.driftwatch.model.ObjectKind#DEFAULT_PRIVILEGE}, attributes
 * {@code object_type} (TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS), {@code in_schema} (null: all
 * schemas), {@code for_role}, {@code grantee}, {@code privileges}): {@code ALTER DEFAULT PRIVILEGES
 * FOR ROLE r [IN SCHEMA s] GRANT ... ON <type> TO g [WITH GRANT OPTION]} and the matching
 * {@code REVOKE [GRANT OPTION FOR] ... FROM g}, computed as a set difference like
 * {@link PrivilegePlanner}. A database-wide entry is read as its difference from the built-in
 * default ({@code (none)}: PUBLIC's default EXECUTE on functions or USAGE on types taken away), so
 * a missing database-wide row means "the built-in default", which is what a drop restores. Granting
 * or revoking what is (not) already there changes nothing: every statement runs twice safely.
 * Per-schema statements are guarded by the schema's existence. Phase {@link Phase#PRIVILEGES};
 * never destructive; revokes carry a hazard (objects the role creates later get fewer privileges).
 *
 * <p>PostgreSQL docs: ALTER DEFAULT PRIVILEGES ("default privileges ... for all schemas ... can
 * also revoke the built-in defaults"; per-schema entries only add).
 */
final class DefaultPrivilegePlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        plan(builtin(o), want(o), o, e, "set missing ");
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        plan(want(o), builtin(o), o, e, "remove extra ");
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        plan(want(from), want(to), to, e, "change ");
    }

    private static Map<String, Boolean> want(CatalogObject o) {
        return AccessDdl.parsePrivileges(o.attr("privileges"));
    }

    /** @return what a grantee holds with no entry: PUBLIC's EXECUTE on functions / USAGE on types, database-wide only */
    private static Map<String, Boolean> builtin(CatalogObject o) {
        if (o.attr("in_schema") != null || !"PUBLIC".equals(o.attr("grantee"))) {
            return Map.of();
        }
        return switch (o.attr("object_type")) {
            case "FUNCTIONS" -> Map.of("EXECUTE", false);
            case "TYPES" -> Map.of("USAGE", false);
            default -> Map.of();
        };
    }

    private static void plan(Map<String, Boolean> have, Map<String, Boolean> want, CatalogObject o, Emitter e,
                             String why) {
        String schema = o.attr("in_schema");
        String head = "ALTER DEFAULT PRIVILEGES FOR ROLE " + AccessDdl.role(o.attr("for_role"))
                + (schema == null ? "" : " IN SCHEMA " + PgDdl.id(schema));
        String on = " ON " + o.attr("object_type");
        String grantee = AccessDdl.role(o.attr("grantee"));
        List<List<String>> d = AccessDdl.difference(have, want);
        String hazardText = "objects " + o.attr("for_role") + " creates from now on no longer get these privileges for "
                + grantee;
        if (!d.get(2).isEmpty()) {
            emit(e, o, 0, guard(schema, head + " REVOKE GRANT OPTION FOR " + String.join(", ", d.get(2)) + on
                    + " FROM " + grantee), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, hazardText)), why);
        }
        if (!d.get(3).isEmpty()) {
            emit(e, o, 0, guard(schema, head + " REVOKE " + String.join(", ", d.get(3)) + on + " FROM " + grantee),
                    List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, hazardText)), why);
        }
        if (!d.get(0).isEmpty()) {
            emit(e, o, 1, guard(schema, head + " GRANT " + String.join(", ", d.get(0)) + on + " TO " + grantee),
                    List.of(), why);
        }
        if (!d.get(1).isEmpty()) {
            emit(e, o, 1, guard(schema, head + " GRANT " + String.join(", ", d.get(1)) + on + " TO " + grantee
                    + " WITH GRANT OPTION"), List.of(), why);
        }
    }

    private static void emit(Emitter e, CatalogObject o, int rank, String sql, List<Hazard> hazards, String why) {
        e.add(Phase.PRIVILEGES, rank, sql, o.ref(), hazards, true, false, why + o.ref());
    }

    /** @return the statement, inside a guard on the schema's existence when it names one */
    private static String guard(String schema, String sql) {
        if (schema == null) {
            return sql + ";";
        }
        return PgDdl.guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = " + PgDdl.lit(schema) + ")",
                List.of(PgDdl.exec(sql)));
    }
}
