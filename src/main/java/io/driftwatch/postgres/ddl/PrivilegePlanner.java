package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One grantee's privileges on one object ({@link ObjectKind#PRIVILEGE}, attributes {@code grantee}
 * and {@code privileges}, e.g. {@code INSERT, SELECT (grantable)}; target = the object): the set
 * difference between what the grantee holds and what it must hold, as {@code GRANT ... [WITH GRANT
 * OPTION]}, {@code REVOKE GRANT OPTION FOR ...} and {@code REVOKE ...} statements on the object
 * (for a column: {@code GRANT SELECT (c) ON TABLE t}). GRANT and REVOKE of a privilege already
 * (not) held change nothing, so every statement runs twice safely; revokes of an object the plan
 * may drop are guarded by its existence. Revokes come first (rank 0) because revoking a table-level
 * privilege also revokes it on every column; grants follow (rank 1). Phase {@link Phase#PRIVILEGES}.
 * Never destructive; a revoke carries a hazard (whoever relied on the privilege loses it).
 *
 * <p>PostgreSQL docs: GRANT, REVOKE ("Revoking ... a table-level privilege ... also revokes the
 * corresponding column privileges").
 */
final class PrivilegePlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        plan(Map.of(), AccessDdl.parsePrivileges(o.attr("privileges")), o, e, "grant missing ");
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        plan(AccessDdl.parsePrivileges(o.attr("privileges")), Map.of(), o, e, "revoke extra ");
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        plan(AccessDdl.parsePrivileges(from.attr("privileges")), AccessDdl.parsePrivileges(to.attr("privileges")),
                to, e, "change ");
    }

    private static void plan(Map<String, Boolean> have, Map<String, Boolean> want, CatalogObject o, Emitter e,
                             String why) {
        ObjectRef t = o.target();
        String on = " ON " + AccessDdl.grantTarget(o);
        String grantee = AccessDdl.role(o.attr("grantee"));
        List<List<String>> d = AccessDdl.difference(have, want);
        String column = t.kind() == ObjectKind.COLUMN ? " (" + PgDdl.id(t.name()) + ")" : "";
        List<String> revokes = new ArrayList<>();
        if (!d.get(2).isEmpty()) {
            revokes.add("REVOKE GRANT OPTION FOR " + list(d.get(2), column) + on + " FROM " + grantee);
        }
        if (!d.get(3).isEmpty()) {
            revokes.add("REVOKE " + list(d.get(3), column) + on + " FROM " + grantee);
        }
        for (String r : revokes) {
            e.add(Phase.PRIVILEGES, 0, PgDdl.guarded(AccessDdl.exists(o), List.of(PgDdl.exec(r))), o.ref(),
                    List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES,
                            grantee + " loses privileges on " + t + "; whatever relies on them fails")),
                    true, false, why + o.ref());
        }
        if (!d.get(0).isEmpty()) {
            e.add(Phase.PRIVILEGES, 1, "GRANT " + list(d.get(0), column) + on + " TO " + grantee + ";", o.ref(),
                    List.of(), true, false, why + o.ref());
        }
        if (!d.get(1).isEmpty()) {
            e.add(Phase.PRIVILEGES, 1, "GRANT " + list(d.get(1), column) + on + " TO " + grantee
                    + " WITH GRANT OPTION;", o.ref(), List.of(), true, false, why + o.ref());
        }
    }

    /** @return {@code SELECT, UPDATE} or, for a column, {@code SELECT (c), UPDATE (c)} */
    private static String list(List<String> privileges, String column) {
        return String.join(", ", privileges.stream().map(p -> p + column).toList());
    }
}
