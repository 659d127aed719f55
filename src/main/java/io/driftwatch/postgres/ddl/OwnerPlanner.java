package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.List;

/**
 * Owners ({@link io.driftwatch.model.ObjectKind#OWNER}, attribute {@code owner}, target = the owned
 * object): {@code ALTER <kind> <object> OWNER TO <role>}, for an object the plan creates (its owner
 * would otherwise be whoever runs the bridge) and for a changed owner. Giving an object to its
 * current owner changes nothing, so it runs twice safely. An owner that disappears goes with its
 * object: nothing to do. Phase {@link Phase#OWNERS} (before privileges: a new owner's grants are
 * re-attributed to it). Never destructive; a change carries a hazard (the previous owner loses its
 * implicit privileges).
 *
 * <p>PostgreSQL docs: ALTER TABLE / VIEW / MATERIALIZED VIEW / SEQUENCE / SCHEMA / TYPE / DOMAIN /
 * FUNCTION / PROCEDURE / AGGREGATE / COLLATION / EVENT TRIGGER ... OWNER TO.
 */
final class OwnerPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        alter(o, e, List.of(), "set owner: ");
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        // the owned object itself is dropped (or was never there): nothing to change
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        alter(to, e, List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "the previous owner of "
                + to.target() + ", " + from.attr("owner") + ", loses the privileges it held as owner")),
                "change owner (was " + from.attr("owner") + "): ");
    }

    private static void alter(CatalogObject o, Emitter e, List<Hazard> hazards, String why) {
        e.add(Phase.OWNERS, 0, AccessDdl.alterTarget(o) + " OWNER TO " + AccessDdl.role(o.attr("owner")) + ";",
                o.ref(), hazards, true, false, why + o.ref());
    }
}
