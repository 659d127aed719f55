package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Range types ({@link io.driftwatch.model.ObjectKind#RANGE_TYPE}; attributes {@code subtype},
 * {@code subtype_opclass}, {@code collation}, {@code canonical}, {@code subtype_diff},
 * {@code multirange_type_name}, see {@code range_types.sql}).
 *
 * <ul>
 *   <li>create (in {@link Phase#TYPES}, ranked by {@link TypeRanks}): {@code CREATE TYPE name AS
 *       RANGE (SUBTYPE = ..., ...)} guarded by {@code to_regtype(name) IS NULL} (PostgreSQL docs,
 *       CREATE TYPE, Range Types). The multirange type comes with it.</li>
 *   <li>modify: a range type cannot be altered beyond name, owner and schema (PostgreSQL docs,
 *       ALTER TYPE), so it is dropped and created again, guarded by a {@code pg_range} check that
 *       the definition differs; fails while columns or functions use it (hazard).</li>
 *   <li>drop: {@code DROP TYPE IF EXISTS} in {@link Phase#DROP_TYPES} (no {@code CASCADE}).</li>
 * </ul>
 * Limitation: a {@code canonical} or {@code subtype_diff} function written by the user is created in
 * {@link Phase#ROUTINES}, after the types; such ranges need the function to exist already.
 */
final class RangeTypePlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.TYPES, TypeRanks.depth(o.ref(), e.to()),
                PgDdl.guarded("pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + ") IS NULL", List.of(PgDdl.exec(createSql(o)))),
                o.ref(), List.of(), true, false, "create missing range type " + o.ref().qualifiedName());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_TYPES, -TypeRanks.depth(o.ref(), e.from()), "DROP TYPE IF EXISTS " + PgDdl.rel(o.ref()) + ";", o.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops range type " + o.ref().qualifiedName()
                        + " and its multirange type; fails while columns, functions or other types use them")),
                true, false, "drop extra range type " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = PgDdl.rel(to.ref());
        e.add(Phase.TYPES, TypeRanks.depth(to.ref(), e.to()), PgDdl.guarded(differs(to), List.of(
                        PgDdl.exec("DROP TYPE IF EXISTS " + name), PgDdl.exec(createSql(to)))), to.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops range type " + to.ref().qualifiedName()
                        + " and creates it again (" + String.join(", ", changed)
                        + "); fails while columns, functions or other types use it")),
                true, false, "recreate range type " + to.ref().qualifiedName() + " with a different "
                        + String.join(", ", changed));
    }


    /** @return {@code CREATE TYPE name AS RANGE (SUBTYPE = ..., ...)} (no semicolon) */
    static String createSql(CatalogObject o) {
        List<String> opts = new ArrayList<>();
        opts.add("SUBTYPE = " + o.attr("subtype"));
        if (o.attr("subtype_opclass") != null) {
            opts.add("SUBTYPE_OPCLASS = " + o.attr("subtype_opclass"));
        }
        if (o.attr("collation") != null) {
            opts.add("COLLATION = " + o.attr("collation"));
        }
        if (o.attr("canonical") != null) {
            opts.add("CANONICAL = " + o.attr("canonical"));
        }
        if (o.attr("subtype_diff") != null) {
            opts.add("SUBTYPE_DIFF = " + o.attr("subtype_diff"));
        }
        if (o.attr("multirange_type_name") != null) {
            opts.add("MULTIRANGE_TYPE_NAME = " + o.attr("multirange_type_name"));
        }
        return "CREATE TYPE " + PgDdl.rel(o.ref()) + " AS RANGE (" + String.join(", ", opts) + ")";
    }

    /** @return condition: the range type is missing or any attribute differs (same expressions as range_types.sql) */
    private static String differs(CatalogObject o) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_range r"
                + " JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype"
                + " JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc"
                + " JOIN pg_catalog.pg_namespace opcn ON opcn.oid = opc.opcnamespace"
                + " WHERE r.rngtypid = pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + ")"
                + " AND pg_catalog.format_type(r.rngsubtype, NULL) = " + PgDdl.lit(o.attr("subtype"))
                + " AND (CASE WHEN NOT opc.opcdefault THEN pg_catalog.quote_ident(opcn.nspname) || '.'"
                + " || pg_catalog.quote_ident(opc.opcname) END) IS NOT DISTINCT FROM " + litOrNull(o.attr("subtype_opclass"))
                + " AND (CASE WHEN r.rngcollation <> st.typcollation THEN r.rngcollation::pg_catalog.regcollation::text END)"
                + " IS NOT DISTINCT FROM " + litOrNull(o.attr("collation"))
                + " AND (CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END)"
                + " IS NOT DISTINCT FROM " + litOrNull(o.attr("canonical"))
                + " AND (CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END)"
                + " IS NOT DISTINCT FROM " + litOrNull(o.attr("subtype_diff"))
                + " AND r.rngmultitypid::pg_catalog.regtype::text IS NOT DISTINCT FROM "
                + litOrNull(o.attr("multirange_type_name")) + ")";
    }

    private static String litOrNull(String s) {
        return s == null ? "NULL" : PgDdl.lit(s);
    }
}
