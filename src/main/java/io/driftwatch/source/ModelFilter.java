package io.driftwatch.source;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.CatalogObject;
import io.driftwatch.model.EnumType;
import io.driftwatch.model.ObjectKind;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.UnmodelledObject;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Sequence;
import io.driftwatch.model.Table;
import io.driftwatch.model.View;

import java.util.List;

/**
 * Applies a {@link SchemaFilter} to a model that was not read through it (a snapshot), with the
 * catalog reader's rules: only the listed schemas (when any are listed), never the Flyway version
 * table, and nothing an exclude glob matches ({@code schema} for a schema, {@code schema.name} for
 * tables, views, sequences and enums, {@code schema.table.child} for columns, constraints and
 * indexes), and the role renames of {@link SchemaFilter#roleMap()}. Pure.
 */
public final class ModelFilter {

    private ModelFilter() {
    }

    /**
     * @param model  a model
     * @param filter what to keep
     * @return the model with filtered-out objects removed (the same instance when nothing is filtered)
     */
    public static SchemaModel apply(SchemaModel model, SchemaFilter filter) {
        if (filter.schemas().isEmpty() && filter.excludes().isEmpty() && filter.historyTable() == null
                && filter.withPrivileges() && filter.withOwners() && filter.roleMap().isEmpty()) {
            return model;
        }
        List<String> schemas = model.schemas().stream().filter(s -> filter.keeps(ObjectRef.schema(s))).toList();
        List<Table> tables = model.tables().stream()
                .filter(t -> filter.keeps(t.ref()))
                .map(t -> t.withChildren(
                        t.columns().stream().filter(c -> child(t, c.name(), filter)).toList(),
                        t.constraints().stream().filter(c -> child(t, c.name(), filter)).toList(),
                        t.indexes().stream().filter(i -> child(t, i.name(), filter)).toList()))
                .toList();
        List<View> views = model.views().stream().filter(v -> filter.keeps(v.ref())).toList();
        List<Sequence> sequences = model.sequences().stream().filter(s -> filter.keeps(s.ref())).toList();
        List<EnumType> enums = model.enums().stream().filter(e -> filter.keeps(e.ref())).toList();
        List<CatalogObject> objects = model.objects().stream()
                .filter(o -> filter.keeps(o.target() != null ? o.target() : o.ref()))
                .filter(o -> filter.withPrivileges() || (o.kind() != ObjectKind.PRIVILEGE && o.kind() != ObjectKind.DEFAULT_PRIVILEGE))
                .filter(o -> filter.withOwners() || o.kind() != ObjectKind.OWNER)
                .map(o -> mapRoles(o, filter))
                .toList();
        List<UnmodelledObject> notAudited = model.notAudited().stream()
                .filter(filter::keeps).toList();
        return new SchemaModel(model.serverVersion(), schemas, tables, views, sequences, enums, objects, notAudited);
    }

    /** The role renames a live read applies ({@link SchemaFilter#roleMap()}), applied to a snapshot's object. */
    private static CatalogObject mapRoles(CatalogObject o, SchemaFilter filter) {
        if (filter.roleMap().isEmpty()) {
            return o;
        }
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        o.attributes().forEach((k, v) -> attributes.put(k, filter.mapRoleAttribute(k, v)));
        String name = o.ref().name();
        String head = o.target() == null ? null : o.target() + " ";
        if (head != null && name.startsWith(head)) {
            name = head + filter.mapRolesInSuffix(name.substring(head.length()));
        }
        return new CatalogObject(new ObjectRef(o.ref().kind(), o.ref().schema(), o.ref().parent(), name),
                attributes, o.target());
    }

    /** @return whether the column, constraint or index {@code name} of a kept table is kept */
    private static boolean child(Table t, String name, SchemaFilter filter) {
        return filter.keeps(ObjectRef.child(ObjectKind.COLUMN, t.schema(), t.name(), name));
    }
}
