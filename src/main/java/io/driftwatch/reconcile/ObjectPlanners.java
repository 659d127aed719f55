package io.driftwatch.reconcile;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of {@link ObjectPlanner}s, one per {@link ObjectKind} modelled as a
 * {@link CatalogObject}. A kind without a planner gets a statement that only explains what must be
 * done by hand (commented out, so a bridge never pretends to cover it).
 */
final class ObjectPlanners {

    private static final Map<ObjectKind, ObjectPlanner> PLANNERS = new EnumMap<>(ObjectKind.class);

    static {
        PLANNERS.put(ObjectKind.INDEX, new MatviewIndexPlanner());
        PLANNERS.put(ObjectKind.FUNCTION, new RoutinePlanner());
        PLANNERS.put(ObjectKind.PROCEDURE, new RoutinePlanner());
        PLANNERS.put(ObjectKind.AGGREGATE, new AggregatePlanner());
        PLANNERS.put(ObjectKind.TRIGGER, new TriggerPlanner());
        PLANNERS.put(ObjectKind.EVENT_TRIGGER, new EventTriggerPlanner());
        PLANNERS.put(ObjectKind.COMMENT, new CommentPlanner());
        PLANNERS.put(ObjectKind.PRIVILEGE, new PrivilegePlanner());
        PLANNERS.put(ObjectKind.DEFAULT_PRIVILEGE, new DefaultPrivilegePlanner());
        PLANNERS.put(ObjectKind.OWNER, new OwnerPlanner());
        PLANNERS.put(ObjectKind.EXTENSION, new ExtensionPlanner());
        PLANNERS.put(ObjectKind.COLLATION, new CollationPlanner());
        PLANNERS.put(ObjectKind.DOMAIN, new DomainPlanner());
        PLANNERS.put(ObjectKind.COMPOSITE_TYPE, new CompositeTypePlanner());
        PLANNERS.put(ObjectKind.RANGE_TYPE, new RangeTypePlanner());
        PLANNERS.put(ObjectKind.POLICY, new PolicyPlanner());
    }

    private ObjectPlanners() {
    }

    /**
     * @param kind an object kind
     * @return its planner, or a fallback that emits a commented-out note
     */
    static ObjectPlanner forKind(ObjectKind kind) {
        return PLANNERS.getOrDefault(kind, UNSUPPORTED);
    }

    private static final ObjectPlanner UNSUPPORTED = new ObjectPlanner() {
        @Override
        public void create(CatalogObject o, Emitter e) {
            note(o, "create", e);
        }

        @Override
        public void drop(CatalogObject o, Emitter e) {
            note(o, "drop", e);
        }

        @Override
        public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
            note(to, "change (" + String.join(", ", changed) + ")", e);
        }

        private void note(CatalogObject o, String what, Emitter e) {
            e.add(Phase.COMMENTS, 0, "-- Driftwatch cannot plan this yet: " + what + " " + o.ref() + ";", o.ref(),
                    List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "not planned: " + o.ref())),
                    true, true, what + " " + o.ref() + " by hand");
        }
    };
}
