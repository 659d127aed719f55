package io.driftwatch.postgres.ddl;

import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;

import java.util.EnumMap;
import java.util.Map;

/**
 * The registry of {@link ObjectPlanner}s, one per {@link ObjectKind} modelled as a
 * {@link CatalogObject}.
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
     * @param kind an object kind modelled as a {@link CatalogObject}
     * @return its planner
     * @throws IllegalStateException for a kind without one (a reader query was added without its
     *                               planner: a programming error, never a silently partial bridge)
     */
    static ObjectPlanner forKind(ObjectKind kind) {
        ObjectPlanner p = PLANNERS.get(kind);
        if (p == null) {
            throw new IllegalStateException("no ObjectPlanner registered for catalog object kind " + kind);
        }
        return p;
    }
}
