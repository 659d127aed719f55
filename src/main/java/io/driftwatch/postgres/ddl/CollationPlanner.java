package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Collations ({@link io.driftwatch.model.ObjectKind#COLLATION}; attributes {@code provider},
 * {@code lc_collate}, {@code lc_ctype}, {@code icu_locale}, {@code deterministic}, see
 * {@code collations.sql}).
 *
 * <ul>
 *   <li>create: {@code CREATE COLLATION IF NOT EXISTS s.n (provider = icu, locale = '...',
 *       deterministic = false)} or {@code (provider = libc, lc_collate = '...', lc_ctype = '...')}
 *       in {@link Phase#COLLATIONS} (PostgreSQL docs, CREATE COLLATION).</li>
 *   <li>modify: a collation cannot be altered beyond its name, owner and version (PostgreSQL docs,
 *       ALTER COLLATION), so it is dropped and created again, guarded by a {@code pg_collation}
 *       check that the definition differs. The drop fails while a column, domain or index uses the
 *       collation: hazard {@link HazardType#HAS_UNTRACKABLE_DEPENDENCIES}.</li>
 *   <li>drop: {@code DROP COLLATION IF EXISTS} in {@link Phase#DROP_COLLATIONS} (no
 *       {@code CASCADE}; PostgreSQL docs, DROP COLLATION). Not destructive: it holds no data.</li>
 * </ul>
 */
final class CollationPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.COLLATIONS, 0, "CREATE COLLATION IF NOT EXISTS " + PgDdl.rel(o.ref()) + " " + options(o) + ";", o.ref(),
                List.of(), true, false, "create missing collation " + o.ref().qualifiedName());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_COLLATIONS, 0, "DROP COLLATION IF EXISTS " + PgDdl.rel(o.ref()) + ";", o.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops collation " + o.ref().qualifiedName()
                        + "; fails while columns, domains or indexes use it")),
                true, false, "drop extra collation " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = PgDdl.rel(to.ref());
        e.add(Phase.COLLATIONS, 0, PgDdl.guarded(differs(to), List.of(
                        PgDdl.exec("DROP COLLATION IF EXISTS " + name),
                        PgDdl.exec("CREATE COLLATION " + name + " " + options(to)))),
                to.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "drops and creates collation "
                        + to.ref().qualifiedName() + " again (" + String.join(", ", changed)
                        + "); fails while columns, domains or indexes use it, and sort order of text using it changes")),
                true, false, "recreate collation " + to.ref().qualifiedName() + " with a different "
                        + String.join(", ", changed));
    }


    /** @return the parenthesized option list of {@code CREATE COLLATION} for the object's attributes */
    static String options(CatalogObject o) {
        List<String> opts = new ArrayList<>();
        if ("i".equals(o.attr("provider"))) {
            opts.add("provider = icu");
            opts.add("locale = " + PgDdl.lit(o.attr("icu_locale") == null ? "" : o.attr("icu_locale")));
        } else {
            opts.add("provider = libc");
            opts.add("lc_collate = " + PgDdl.lit(o.attr("lc_collate") == null ? "" : o.attr("lc_collate")));
            opts.add("lc_ctype = " + PgDdl.lit(o.attr("lc_ctype") == null ? "" : o.attr("lc_ctype")));
        }
        if ("false".equals(o.attr("deterministic"))) {
            opts.add("deterministic = false");
        }
        return "(" + String.join(", ", opts) + ")";
    }

    /** @return condition: no collation of that name with exactly these attributes exists */
    static String differs(CatalogObject o) {
        return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE oid = pg_catalog.to_regcollation("
                + PgDdl.lit(PgDdl.rel(o.ref())) + ") AND collprovider::text = " + PgDdl.lit(o.attr("provider"))
                + " AND collcollate IS NOT DISTINCT FROM " + litOrNull(o.attr("lc_collate"))
                + " AND collctype IS NOT DISTINCT FROM " + litOrNull(o.attr("lc_ctype"))
                + " AND colliculocale IS NOT DISTINCT FROM " + litOrNull(o.attr("icu_locale"))
                + " AND collisdeterministic::text = " + PgDdl.lit(o.attr("deterministic")) + ")";
    }

    private static String litOrNull(String s) {
        return s == null ? "NULL" : PgDdl.lit(s);
    }
}
