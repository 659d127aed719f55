package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.List;

/**
 * Aggregate functions ({@link io.driftwatch.model.ObjectKind#AGGREGATE}; attributes from
 * {@code aggregates.sql}, whose {@code definition} is a {@code CREATE AGGREGATE} statement built
 * from every {@code pg_aggregate} column). PostgreSQL docs: CREATE AGGREGATE, DROP AGGREGATE.
 *
 * <p>Create and modify run in {@link Phase#ROUTINES} after the functions (their transition and
 * final functions exist by then): {@code CREATE OR REPLACE AGGREGATE} (PostgreSQL 12+), which is
 * idempotent by itself; when the server refuses the replacement (42P13
 * {@code invalid_function_definition}: the state or result type changed; 42809
 * {@code wrong_object_type}) the block drops the aggregate and creates it. Creation is guarded by
 * existence of that identity, so a second run does nothing; a change replaces unconditionally
 * (replacing with the same definition again changes nothing). Drops run in
 * {@link Phase#DROP_ROUTINES} before the functions (an aggregate depends on its support
 * functions), guarded by kind and identity; like routines, not destructive (no data is lost).
 */
final class AggregatePlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.ROUTINES, RoutinePlanner.RANK + 1,
                PgDdl.guarded("NOT " + RoutinePlanner.exists(o.ref(), "true"), replaceBlock(o)),
                o.ref(), List.of(), true, false, "create missing " + o.ref());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_ROUTINES, RoutinePlanner.RANK,
                PgDdl.guarded(RoutinePlanner.exists(o.ref(), "p.prokind = 'a'"),
                        List.of(PgDdl.exec("DROP AGGREGATE IF EXISTS " + o.attr("signature")))),
                o.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops " + o.ref()
                        + "; fails while views or other routines still use it")),
                true, false, "drop extra " + o.ref());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        e.add(Phase.ROUTINES, RoutinePlanner.RANK + 1,
                PgDdl.guarded("true", replaceBlock(to)),
                to.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "replaces " + to.ref()
                        + " (" + String.join(", ", changed) + "); when the state or result type changes it is"
                        + " dropped and created again: that fails while views use it, and its grants are lost")),
                true, false, "replace " + to.ref() + " (" + String.join(", ", changed) + ")");
    }

    /** @return PL/pgSQL: {@code CREATE OR REPLACE AGGREGATE}, falling back to drop and create */
    private static List<String> replaceBlock(CatalogObject o) {
        String create = o.attr("definition");
        String replace = create.replaceFirst("^CREATE AGGREGATE ", "CREATE OR REPLACE AGGREGATE ");
        return RoutinePlanner.withoutBodyChecks(List.of(
                "BEGIN",
                "    " + PgDdl.exec(replace),
                "EXCEPTION WHEN invalid_function_definition OR wrong_object_type THEN",
                "    " + PgDdl.exec("DROP AGGREGATE IF EXISTS " + o.attr("signature")),
                "    " + PgDdl.exec(create),
                "END;"));
    }
}
