package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectRef;

import java.util.List;

/**
 * Triggers on tables, partitioned tables and views ({@link io.driftwatch.model.ObjectKind#TRIGGER};
 * attributes {@code definition} = {@code pg_get_triggerdef} and {@code enabled} = {@code tgenabled},
 * from {@code triggers.sql}). PostgreSQL docs: CREATE TRIGGER, DROP TRIGGER, ALTER TABLE
 * ENABLE/DISABLE TRIGGER.
 *
 * <ul>
 *   <li>create: in {@link Phase#TRIGGERS} (after the tables, views and trigger functions exist),
 *       {@code EXECUTE} the definition when the relation has no trigger of that name;</li>
 *   <li>changed definition: dropped in {@link Phase#DROP_TRIGGERS} when the relation's trigger of
 *       that name has another {@code pg_get_triggerdef} (so column drops and type changes later in
 *       the plan are not blocked by it), created again in {@link Phase#TRIGGERS}. Not
 *       {@code CREATE OR REPLACE TRIGGER}: constraint triggers cannot be replaced;</li>
 *   <li>enabled state ({@code O} enabled, {@code D} disabled, {@code R} replica, {@code A} always):
 *       {@code ALTER TABLE ... ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS TRIGGER}, guarded by
 *       the current {@code tgenabled}, after creation (a new trigger starts enabled);</li>
 *   <li>drop: {@code DROP TRIGGER IF EXISTS name ON relation} in {@link Phase#DROP_TRIGGERS} when
 *       the relation still exists (dropping a table drops its triggers). Not destructive: a trigger
 *       holds no data.</li>
 * </ul>
 */
final class TriggerPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.TRIGGERS, 1, createSql(o), o.ref(), List.of(lockHazard(o.ref())), true, false,
                "create missing " + o.ref());
        if (!"O".equals(o.attr("enabled"))) {
            enabled(o, e);
        }
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        ObjectRef r = o.ref();
        e.add(Phase.DROP_TRIGGERS, 0, PgDdl.guarded(PgDdl.regclass(r.schema(), r.parent()) + " IS NOT NULL",
                        List.of(PgDdl.exec(dropSql(r)))), r,
                List.of(new Hazard(HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK, "drops " + r + " (locks "
                        + PgDdl.rel(r.schema(), r.parent()) + " briefly)")),
                true, false, "drop extra " + r);
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        ObjectRef r = to.ref();
        boolean rebuilt = changed.contains("definition");
        if (rebuilt) {
            e.add(Phase.DROP_TRIGGERS, 0, PgDdl.guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = "
                            + PgDdl.regclass(r.schema(), r.parent()) + " AND tgname = " + PgDdl.lit(r.name())
                            + " AND pg_catalog.pg_get_triggerdef(oid) <> " + PgDdl.lit(to.attr("definition")) + ")",
                            List.of(PgDdl.exec(dropSql(r)))), r,
                    List.of(new Hazard(HazardType.ACQUIRES_ACCESS_EXCLUSIVE_LOCK, "drops " + r
                            + " to create it again with the new definition; rows written meanwhile do not fire it")),
                    true, false, "drop " + r + " to change its definition");
            e.add(Phase.TRIGGERS, 1, createSql(to), r, List.of(lockHazard(r)), true, false,
                    "create " + r + " again with the new definition");
        }
        if (changed.contains("enabled") || (rebuilt && !"O".equals(to.attr("enabled")))) {
            enabled(to, e);
        }
    }

    /** @return guarded {@code CREATE [CONSTRAINT] TRIGGER}: runs when the relation has no trigger of that name */
    static String createSql(CatalogObject o) {
        ObjectRef r = o.ref();
        return PgDdl.guarded("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = "
                + PgDdl.regclass(r.schema(), r.parent()) + " AND tgname = " + PgDdl.lit(r.name()) + ")",
                List.of(PgDdl.exec(o.attr("definition"))));
    }

    private static String dropSql(ObjectRef r) {
        return "DROP TRIGGER IF EXISTS " + PgDdl.id(r.name()) + " ON " + PgDdl.rel(r.schema(), r.parent());
    }

    /**
     * @param state {@code pg_trigger.tgenabled} or {@code pg_event_trigger.evtenabled}: {@code O}
     *              (origin and local), {@code D} (disabled), {@code R} (replica), {@code A} (always)
     * @return the clause that sets it: {@code ENABLE}, {@code DISABLE}, {@code ENABLE REPLICA} or
     *         {@code ENABLE ALWAYS} (PostgreSQL docs, ALTER TABLE / ALTER EVENT TRIGGER)
     */
    static String enableClause(String state) {
        return switch (state) {
            case "D" -> "DISABLE";
            case "R" -> "ENABLE REPLICA";
            case "A" -> "ENABLE ALWAYS";
            default -> "ENABLE";
        };
    }

    /** Plans the {@code ALTER TABLE ... ENABLE/DISABLE TRIGGER} that sets {@code o}'s enabled state. */
    private static void enabled(CatalogObject o, Emitter e) {
        ObjectRef r = o.ref();
        String state = o.attr("enabled");
        String clause = enableClause(state);
        e.add(Phase.TRIGGERS, 2, PgDdl.guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = "
                        + PgDdl.regclass(r.schema(), r.parent()) + " AND tgname = " + PgDdl.lit(r.name())
                        + " AND tgenabled <> " + PgDdl.lit(state) + ")",
                        List.of(PgDdl.exec("ALTER TABLE " + PgDdl.rel(r.schema(), r.parent()) + " " + clause
                                + " TRIGGER " + PgDdl.id(r.name())))), r,
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, clause.toLowerCase() + " " + r
                        + ": changes what happens on writes to " + PgDdl.rel(r.schema(), r.parent()))),
                true, false, clause.toLowerCase() + " " + r);
    }

    private static Hazard lockHazard(ObjectRef r) {
        return new Hazard(HazardType.ACQUIRES_SHARE_LOCK, "creating " + r + " blocks writes to "
                + PgDdl.rel(r.schema(), r.parent()) + " briefly (SHARE ROW EXCLUSIVE)");
    }
}
