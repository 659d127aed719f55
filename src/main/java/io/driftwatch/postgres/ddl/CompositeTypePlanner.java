package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-alone composite types ({@link io.driftwatch.model.ObjectKind#COMPOSITE_TYPE}; attribute
 * {@code attributes}: one {@code name type [COLLATE c]} line per attribute, see
 * {@code composite_types.sql}).
 *
 * <ul>
 *   <li>create (in {@link Phase#TYPES}, ranked by {@link TypeRanks}): {@code CREATE TYPE name AS
 *       (...)} guarded by {@code to_regtype(name) IS NULL} (PostgreSQL docs, CREATE TYPE).</li>
 *   <li>modify, diffed by attribute name (PostgreSQL docs, ALTER TYPE): {@code DROP ATTRIBUTE IF
 *       EXISTS} for removed attributes, {@code ALTER ATTRIBUTE n SET DATA TYPE} for changed ones,
 *       a guarded {@code ADD ATTRIBUTE} for new ones. {@code ADD ATTRIBUTE} appends, so when the
 *       wanted order is not "kept attributes in their order, then the new ones" the type is dropped
 *       and created again instead (guarded by comparing the attribute list; hazard: fails while
 *       columns or functions use the type).</li>
 *   <li>drop: {@code DROP TYPE IF EXISTS} in {@link Phase#DROP_TYPES} (no {@code CASCADE}).</li>
 * </ul>
 * Changing a type that table columns use fails without {@code CASCADE}: a hazard, never cascaded.
 */
final class CompositeTypePlanner implements ObjectPlanner {

    /**
     * SQL text of a composite type's attribute lines as {@code composite_types.sql} computes them,
     * for the type whose {@code typrelid} is {@code %s}.
     */
    private static final String ATTRIBUTES_SQL = "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' '"
            + " || pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attcollation <> at.typcollation"
            + " THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::text ELSE '' END, E'\\n' ORDER BY a.attnum)"
            + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid"
            + " WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped)";

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.TYPES, TypeRanks.depth(o.ref(), e.to()),
                PgDdl.guarded("pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + ") IS NULL", List.of(PgDdl.exec(createSql(o)))),
                o.ref(), List.of(), true, false, "create missing composite type " + o.ref().qualifiedName());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_TYPES, -TypeRanks.depth(o.ref(), e.from()), "DROP TYPE IF EXISTS " + PgDdl.rel(o.ref()) + ";", o.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops composite type " + o.ref().qualifiedName()
                        + "; fails while columns, functions or other types use it")),
                true, false, "drop extra composite type " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = PgDdl.rel(to.ref());
        int rank = TypeRanks.depth(to.ref(), e.to());
        Map<String, String> a = attributes(from);
        Map<String, String> b = attributes(to);
        List<String> expectedOrder = new ArrayList<>();
        a.keySet().stream().filter(b::containsKey).forEach(expectedOrder::add);
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(expectedOrder::add);
        if (!expectedOrder.equals(new ArrayList<>(b.keySet()))) {
            e.add(Phase.TYPES, rank, PgDdl.guarded(attributesDiffer(to), List.of(
                            PgDdl.exec("DROP TYPE IF EXISTS " + name), PgDdl.exec(createSql(to)))), to.ref(),
                    List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops composite type "
                            + to.ref().qualifiedName() + " and creates it again (attribute order changes)"
                            + "; fails while columns, functions or other types use it")),
                    true, false, "recreate composite type " + to.ref().qualifiedName() + " with reordered attributes");
            return;
        }
        List<Hazard> inUse = List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "alters composite type "
                + to.ref().qualifiedName() + "; fails while table columns use it (never cascaded)"));
        for (String attr : a.keySet()) {
            if (!b.containsKey(attr)) {
                e.add(Phase.TYPES, rank, "ALTER TYPE " + name + " DROP ATTRIBUTE IF EXISTS " + attr + ";", to.ref(), inUse,
                        true, false, "drop attribute " + attr + " of composite type " + to.ref().qualifiedName());
            }
        }
        for (Map.Entry<String, String> attr : b.entrySet()) {
            String old = a.get(attr.getKey());
            if (old == null) {
                e.add(Phase.TYPES, rank, PgDdl.guarded(attributeMissing(to, attr.getKey()), List.of(PgDdl.exec(
                                "ALTER TYPE " + name + " ADD ATTRIBUTE " + attr.getKey() + " " + attr.getValue()))),
                        to.ref(), inUse, true, false,
                        "add attribute " + attr.getKey() + " to composite type " + to.ref().qualifiedName());
            } else if (!old.equals(attr.getValue())) {
                e.add(Phase.TYPES, rank, "ALTER TYPE " + name + " ALTER ATTRIBUTE " + attr.getKey() + " SET DATA TYPE "
                                + attr.getValue() + ";", to.ref(), inUse, true, false,
                        "change the type of attribute " + attr.getKey() + " of composite type " + to.ref().qualifiedName()
                                + " to " + attr.getValue());
            }
        }
    }


    /** @return {@code CREATE TYPE name AS (attr type, ...)} (no semicolon) */
    private static String createSql(CatalogObject o) {
        return "CREATE TYPE " + PgDdl.rel(o.ref()) + " AS (" + String.join(", ", TypeRanks.lines(o.attr("attributes"))) + ")";
    }

    private static String typrelid(CatalogObject o) {
        return "(SELECT typrelid FROM pg_catalog.pg_type WHERE oid = pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + "))";
    }

    /** @return condition: the type is missing or its attribute lines differ from the wanted ones */
    private static String attributesDiffer(CatalogObject o) {
        return "pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + ") IS NULL OR " + ATTRIBUTES_SQL.formatted(typrelid(o))
                + " IS DISTINCT FROM " + (o.attr("attributes") == null ? "NULL" : PgDdl.lit(o.attr("attributes")));
    }

    /** @return condition: the type has no (non-dropped) attribute of that name */
    private static String attributeMissing(CatalogObject o, String attr) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = " + typrelid(o) + " AND attname = "
                + PgDdl.lit(TypeRanks.unquote(attr)) + " AND NOT attisdropped)";
    }

    /** @return attribute name (as {@code quote_ident} wrote it) to {@code type [COLLATE c]}, in order */
    static Map<String, String> attributes(CatalogObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : TypeRanks.lines(o.attr("attributes"))) {
            String[] parts = TypeRanks.leadingIdentifier(line);
            out.put(parts[0], parts[1].strip());
        }
        return out;
    }
}
