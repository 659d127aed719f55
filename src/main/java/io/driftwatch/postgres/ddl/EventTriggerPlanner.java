package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Event triggers ({@link io.driftwatch.model.ObjectKind#EVENT_TRIGGER}, database-wide; attributes
 * {@code event}, {@code tags}, {@code function}, {@code enabled} from {@code event_triggers.sql}).
 * PostgreSQL docs: CREATE EVENT TRIGGER, ALTER EVENT TRIGGER, DROP EVENT TRIGGER. Creating one
 * needs superuser.
 *
 * <p>Created in {@link Phase#EVENT_TRIGGERS} (after their functions) when no event trigger of that
 * name exists; a changed event, tag list or function drops and creates it in one block guarded by
 * the current catalog row; the enabled state is set by {@code ALTER EVENT TRIGGER ... ENABLE
 * [REPLICA | ALWAYS] / DISABLE} guarded by {@code evtenabled}. Dropped with
 * {@code DROP EVENT TRIGGER IF EXISTS} in {@link Phase#DROP_TRIGGERS}, before anything else
 * changes (and before its function may go). Not destructive: it holds no data.
 */
final class EventTriggerPlanner implements ObjectPlanner {

    /** the reader's {@code tags} expression over {@code pg_event_trigger e} */
    private static final String TAGS = "NULLIF(pg_catalog.array_to_string(ARRAY(SELECT x FROM pg_catalog.unnest(e.evttags) AS x"
            + " ORDER BY x COLLATE \"C\"), ', '), '')";

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.EVENT_TRIGGERS, 0, PgDdl.guarded("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = "
                        + PgDdl.lit(o.ref().name()) + ")", List.of(PgDdl.exec(createSql(o)))),
                o.ref(), List.of(hazard(o.ref())), true, false, "create missing " + o.ref());
        if (!"O".equals(o.attr("enabled"))) {
            enabled(o, e);
        }
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_TRIGGERS, 0, "DROP EVENT TRIGGER IF EXISTS " + PgDdl.id(o.ref().name()) + ";", o.ref(),
                List.of(hazard(o.ref())), true, false, "drop extra " + o.ref());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        boolean rebuilt = changed.contains("event") || changed.contains("tags") || changed.contains("function");
        if (rebuilt) {
            String tags = to.attr("tags") == null ? "NULL" : PgDdl.lit(to.attr("tags"));
            String differs = "EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger e WHERE e.evtname = " + PgDdl.lit(to.ref().name())
                    + " AND NOT (e.evtevent = " + PgDdl.lit(to.attr("event")) + " AND " + TAGS + " IS NOT DISTINCT FROM "
                    + tags + " AND e.evtfoid::pg_catalog.regprocedure::text = " + PgDdl.lit(to.attr("function")) + "))";
            e.add(Phase.EVENT_TRIGGERS, 0, PgDdl.guarded(differs, List.of(
                            PgDdl.exec("DROP EVENT TRIGGER IF EXISTS " + PgDdl.id(to.ref().name())),
                            PgDdl.exec(createSql(to)))),
                    to.ref(), List.of(hazard(to.ref())), true, false,
                    "create " + to.ref() + " again (" + String.join(", ", changed) + ")");
        }
        if (changed.contains("enabled") || (rebuilt && !"O".equals(to.attr("enabled")))) {
            enabled(to, e);
        }
    }

    /** @return {@code CREATE EVENT TRIGGER name ON event [WHEN TAG IN (...)] EXECUTE FUNCTION f()} (no semicolon) */
    static String createSql(CatalogObject o) {
        StringBuilder b = new StringBuilder("CREATE EVENT TRIGGER ").append(PgDdl.id(o.ref().name()))
                .append(" ON ").append(PgDdl.id(o.attr("event")));
        if (o.attr("tags") != null) {
            b.append(" WHEN TAG IN (").append(Arrays.stream(o.attr("tags").split(", ")).map(PgDdl::lit)
                    .collect(Collectors.joining(", "))).append(')');
        }
        // the function is the regprocedure text, e.g. public.f(): exactly "function_name()"
        return b.append(" EXECUTE FUNCTION ").append(o.attr("function")).toString();
    }

    private static void enabled(CatalogObject o, Emitter e) {
        String state = o.attr("enabled");
        String clause = TriggerPlanner.enableClause(state);
        List<String> body = new ArrayList<>();
        body.add(PgDdl.exec("ALTER EVENT TRIGGER " + PgDdl.id(o.ref().name()) + " " + clause));
        e.add(Phase.EVENT_TRIGGERS, 1, PgDdl.guarded("EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = "
                        + PgDdl.lit(o.ref().name()) + " AND evtenabled <> " + PgDdl.lit(state) + ")", body),
                o.ref(), List.of(hazard(o.ref())), true, false, clause.toLowerCase() + " " + o.ref());
    }

    private static Hazard hazard(ObjectRef r) {
        return new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, r + " runs on DDL in the whole database");
    }
}
