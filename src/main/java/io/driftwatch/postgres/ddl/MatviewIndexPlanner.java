package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.Identifiers;

import java.util.List;

/**
 * Indexes of materialized views ({@link io.driftwatch.model.ObjectKind#INDEX} catalog objects whose
 * parent is the view): {@code CREATE INDEX IF NOT EXISTS} from {@code pg_get_indexdef} after the views
 * exist, {@code DROP INDEX IF EXISTS}, and drop-then-create when the definition differs. Not
 * concurrent: a materialized view is rebuilt as a whole anyway.
 */
final class MatviewIndexPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.MATVIEW_INDEXES, 0, createSql(o), o.ref(),
                List.of(new Hazard(HazardType.INDEX_BUILD, "builds index " + o.ref().qualifiedName()
                        + " (blocks REFRESH of the materialized view meanwhile)")),
                true, false, "create index " + o.ref().qualifiedName() + " of materialized view");
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_INDEXES, 0, "DROP INDEX IF EXISTS " + Identifiers.qualified(o.ref().schema(), o.ref().name()) + ";",
                o.ref(), List.of(new Hazard(HazardType.INDEX_DROPPED, "queries on the materialized view may get slower")),
                true, false, "drop extra index " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = Identifiers.qualified(to.ref().schema(), to.ref().name());
        e.add(Phase.MATVIEW_INDEXES, 0, PgDdl.guarded("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = "
                        + "pg_catalog.to_regclass(" + PgDdl.lit(name) + ") AND indisvalid AND pg_catalog.pg_get_indexdef(indexrelid) = "
                        + PgDdl.lit(to.attr("definition")) + ")",
                        List.of(PgDdl.exec("DROP INDEX IF EXISTS " + name), PgDdl.exec(to.attr("definition")))),
                to.ref(), List.of(new Hazard(HazardType.INDEX_BUILD, "rebuilds index " + to.ref().qualifiedName())),
                true, false, "rebuild index " + to.ref().qualifiedName() + " of materialized view");
    }

    /** @return {@code CREATE INDEX IF NOT EXISTS ...} from the stored definition */
    static String createSql(CatalogObject o) {
        String def = o.attr("definition");
        return def.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS ") + ";";
    }
}
