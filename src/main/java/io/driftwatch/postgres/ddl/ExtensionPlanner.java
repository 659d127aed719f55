package io.driftwatch.postgres.ddl;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.model.CatalogObject;

import java.util.List;

/**
 * Extensions ({@link io.driftwatch.model.ObjectKind#EXTENSION}, database-wide; attributes
 * {@code version} and {@code schema}, see {@code extensions.sql}).
 *
 * <ul>
 *   <li>create: {@code CREATE EXTENSION IF NOT EXISTS name WITH SCHEMA s VERSION 'v'} in
 *       {@link Phase#EXTENSIONS} (PostgreSQL docs, CREATE EXTENSION). No {@code CASCADE}: an
 *       extension another one requires is created by its own statement (planned in name order, so
 *       such pairs may need a second run; noted as a hazard).</li>
 *   <li>modify: {@code ALTER EXTENSION name UPDATE TO 'v'} for the version and
 *       {@code ALTER EXTENSION name SET SCHEMA s} for the schema (PostgreSQL docs, ALTER
 *       EXTENSION); both are no-ops when the extension is already there, so they are idempotent.</li>
 *   <li>drop: {@code DROP EXTENSION IF EXISTS name} in {@link Phase#DROP_EXTENSIONS}, destructive
 *       (the extension's objects and any data in its configuration tables go), without
 *       {@code CASCADE}: it fails while columns, indexes or functions outside the extension use
 *       its objects (PostgreSQL docs, DROP EXTENSION).</li>
 * </ul>
 */
final class ExtensionPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.EXTENSIONS, 0, createSql(o), o.ref(),
                List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "installs extension " + PgDdl.id(o.ref().name())
                        + "; its control file and scripts must be available on the server, and extensions it requires"
                        + " must exist first")),
                true, false, "create missing extension " + o.ref().qualifiedName());
    }

    /** @return {@code CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s] [VERSION 'v'];} */
    static String createSql(CatalogObject o) {
        StringBuilder b = new StringBuilder("CREATE EXTENSION IF NOT EXISTS ").append(PgDdl.id(o.ref().name()));
        if (o.attr("schema") != null) {
            b.append(" WITH SCHEMA ").append(PgDdl.id(o.attr("schema")));
        }
        if (o.attr("version") != null) {
            b.append(" VERSION ").append(PgDdl.lit(o.attr("version")));
        }
        return b.append(';').toString();
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.DROP_EXTENSIONS, 0, "DROP EXTENSION IF EXISTS " + PgDdl.id(o.ref().name()) + ";", o.ref(),
                List.of(new Hazard(HazardType.DELETES_DATA, "drops extension " + PgDdl.id(o.ref().name())
                                + " with its objects; fails while other objects still use them (no CASCADE)")),
                true, true, "drop extra extension " + o.ref().qualifiedName());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        String name = PgDdl.id(to.ref().name());
        if (changed.contains("schema") && to.attr("schema") != null) {
            e.add(Phase.EXTENSIONS, 0, "ALTER EXTENSION " + name + " SET SCHEMA " + PgDdl.id(to.attr("schema")) + ";",
                    to.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "moves the objects of extension "
                            + name + " to schema " + PgDdl.id(to.attr("schema"))
                            + "; code that names them schema-qualified breaks, and it fails for non-relocatable extensions")),
                    true, false, "move extension " + to.ref().qualifiedName() + " to schema " + to.attr("schema"));
        }
        if (changed.contains("version") && to.attr("version") != null) {
            e.add(Phase.EXTENSIONS, 1, "ALTER EXTENSION " + name + " UPDATE TO " + PgDdl.lit(to.attr("version")) + ";",
                    to.ref(), List.of(new Hazard(HazardType.HAS_UNTRACKABLE_DEPENDENCIES, "runs the update script of extension "
                            + name + " from " + from.attr("version") + " to " + to.attr("version")
                            + "; fails when the server has no update path (e.g. a downgrade)")),
                    true, false, "update extension " + to.ref().qualifiedName() + " to version " + to.attr("version"));
        }
    }
}
