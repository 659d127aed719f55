package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Domains ({@link io.driftwatch.model.ObjectKind#DOMAIN}; attributes {@code base_type},
 * {@code default}, {@code not_null}, {@code collation}, {@code checks}, see {@code domains.sql}).
 *
 * <ul>
 *   <li>create (in {@link Phase#TYPES}, ranked by {@link TypeRanks}): a block guarded by
 *       {@code to_regtype(name) IS NULL} running {@code CREATE DOMAIN name AS base [COLLATE c]
 *       [DEFAULT expr] [NOT NULL]} and one {@code ALTER DOMAIN name ADD CONSTRAINT n CHECK (...)
 *       [NOT VALID]} per check (PostgreSQL docs, CREATE DOMAIN; {@code NOT VALID} is only accepted
 *       by ALTER DOMAIN).</li>
 *   <li>modify: {@code ALTER DOMAIN ... SET DEFAULT / DROP DEFAULT}, {@code SET NOT NULL / DROP
 *       NOT NULL}, and checks diffed by constraint name: {@code DROP CONSTRAINT IF EXISTS} for
 *       removed ones, a guarded {@code ADD CONSTRAINT} for added ones and a guarded drop plus add
 *       for changed ones (PostgreSQL docs, ALTER DOMAIN). A different base type or collation
 *       cannot be altered: the domain is dropped and created again (guarded by a {@code pg_type}
 *       check), which fails while columns or other objects use it (hazard, not destructive: the
 *       drop never cascades).</li>
 *   <li>drop: {@code DROP DOMAIN IF EXISTS} in {@link Phase#DROP_TYPES} (no {@code CASCADE}),
 *       domains over other types before those types.</li>
 * </ul>
 */
final class DomainPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.TYPES, TypeRanks.depth(o.ref(), e.to()), PgDdl.guarded(missing(o), createBody(o)), o.ref(),
                List.of(), true, false, "create missing domain " + o.ref().qualifiedName());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_TYPES, -TypeRanks.depth(o.ref(), e.from()), "DROP DOMAIN IF EXISTS " + PgDdl.rel(o.ref()) + ";", o.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops domain " + o.ref().qualifiedName()
                        + "; fails while columns, functions or other types use it")),
                true, false, "drop extra domain " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = PgDdl.rel(to.ref());
        int rank = TypeRanks.depth(to.ref(), e.to());
        if (changed.contains("base_type") || changed.contains("collation")) {
            List<String> body = new ArrayList<>();
            body.add(PgDdl.exec("DROP DOMAIN IF EXISTS " + name));
            body.addAll(createBody(to));
            e.add(Phase.TYPES, rank, PgDdl.guarded(baseDiffers(to), body), to.ref(),
                    List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops domain " + to.ref().qualifiedName()
                            + " and creates it again over " + to.attr("base_type")
                            + "; fails while columns, functions or other types use it")),
                    true, false, "recreate domain " + to.ref().qualifiedName() + " (" + String.join(", ", changed) + ")");
            return;
        }
        if (changed.contains("default")) {
            String sql = to.attr("default") == null ? "ALTER DOMAIN " + name + " DROP DEFAULT;"
                    : "ALTER DOMAIN " + name + " SET DEFAULT " + to.attr("default") + ";";
            e.add(Phase.TYPES, rank, sql, to.ref(), List.of(), true, false,
                    "change the default of domain " + to.ref().qualifiedName());
        }
        if (changed.contains("not_null")) {
            boolean notNull = to.flag("not_null");
            e.add(Phase.TYPES, rank, "ALTER DOMAIN " + name + (notNull ? " SET" : " DROP") + " NOT NULL;", to.ref(),
                    notNull ? List.of(new Hazard(HazardType.VALIDATES_DATA, "checks every column using domain "
                            + to.ref().qualifiedName() + " for nulls")) : List.of(),
                    true, false, (notNull ? "make domain " : "allow nulls in domain ") + to.ref().qualifiedName()
                            + (notNull ? " NOT NULL" : ""));
        }
        if (changed.contains("checks")) {
            Map<String, String> a = checks(from);
            Map<String, String> b = checks(to);
            for (String c : a.keySet()) {
                if (!b.containsKey(c)) {
                    e.add(Phase.TYPES, rank, "ALTER DOMAIN " + name + " DROP CONSTRAINT IF EXISTS " + c + ";", to.ref(),
                            List.of(), true, false, "drop check " + c + " of domain " + to.ref().qualifiedName());
                }
            }
            for (Map.Entry<String, String> c : b.entrySet()) {
                String old = a.get(c.getKey());
                if (c.getValue().equals(old)) {
                    continue;
                }
                List<String> body = new ArrayList<>();
                if (old != null) {
                    body.add(PgDdl.exec("ALTER DOMAIN " + name + " DROP CONSTRAINT IF EXISTS " + c.getKey()));
                }
                body.add(PgDdl.exec(addCheck(name, c.getKey(), c.getValue())));
                e.add(Phase.TYPES, rank, PgDdl.guarded(checkDiffers(to, c.getKey(), c.getValue()), body), to.ref(),
                        c.getValue().endsWith(" NOT VALID") ? List.of()
                                : List.of(new Hazard(HazardType.VALIDATES_DATA, "checks every column using domain "
                                + to.ref().qualifiedName() + " against " + c.getKey() + "; fails when a table column"
                                + " uses it inside an array or composite type, which PostgreSQL cannot check")),
                        true, false, (old == null ? "add check " : "change check ") + c.getKey() + " of domain "
                                + to.ref().qualifiedName());
            }
        }
    }


    /** @return condition: no type of the domain's name exists */
    private static String missing(CatalogObject o) {
        return "pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref())) + ") IS NULL";
    }

    /** @return condition: the domain is missing or has another base type or collation */
    private static String baseDiffers(CatalogObject o) {
        String coll = o.attr("collation") == null
                ? "t.typcollation = (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)"
                : "t.typcollation = pg_catalog.to_regcollation(" + PgDdl.lit(o.attr("collation")) + ")";
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.to_regtype(" + PgDdl.lit(PgDdl.rel(o.ref()))
                + ") AND t.typtype = 'd' AND pg_catalog.format_type(t.typbasetype, t.typtypmod) = "
                + PgDdl.lit(o.attr("base_type")) + " AND " + coll + ")";
    }

    /** @return condition: the domain has no check of that name with exactly that definition */
    private static String checkDiffers(CatalogObject o, String check, String definition) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE contypid = pg_catalog.to_regtype("
                + PgDdl.lit(PgDdl.rel(o.ref())) + ") AND conname = " + PgDdl.lit(TypeRanks.unquote(check))
                + " AND pg_catalog.pg_get_constraintdef(oid) = " + PgDdl.lit(definition) + ")";
    }

    /** @return the PL/pgSQL lines creating the domain with its checks */
    private static List<String> createBody(CatalogObject o) {
        String name = PgDdl.rel(o.ref());
        StringBuilder b = new StringBuilder("CREATE DOMAIN ").append(name).append(" AS ").append(o.attr("base_type"));
        if (o.attr("collation") != null) {
            b.append(" COLLATE ").append(o.attr("collation"));
        }
        if (o.attr("default") != null) {
            b.append(" DEFAULT ").append(o.attr("default"));
        }
        if (o.flag("not_null")) {
            b.append(" NOT NULL");
        }
        List<String> body = new ArrayList<>();
        body.add(PgDdl.exec(b.toString()));
        checks(o).forEach((k, v) -> body.add(PgDdl.exec(addCheck(name, k, v))));
        return body;
    }

    private static String addCheck(String domain, String check, String definition) {
        return "ALTER DOMAIN " + domain + " ADD CONSTRAINT " + check + " " + definition;
    }

    /** @return check name (as {@code quote_ident} wrote it) to definition, in attribute order */
    static Map<String, String> checks(CatalogObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : TypeRanks.lines(o.attr("checks"))) {
            String[] parts = TypeRanks.leadingIdentifier(line);
            String rest = parts[1].startsWith(": ") ? parts[1].substring(2) : parts[1].stripLeading();
            out.put(parts[0], rest);
        }
        return out;
    }
}
