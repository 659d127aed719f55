package io.driftwatch.model;

import java.util.List;

/**
 * An enum type ({@code pg_type} with {@code typtype = 'e'}).
 *
 * @param schema namespace name
 * @param name   type name
 * @param labels labels in {@code enumsortorder} order; order is significant
 */
public record EnumType(String schema, String name, List<String> labels) {

    public EnumType {
        labels = List.copyOf(labels);
    }

    /** @return this type's identity */
    public ObjectRef ref() {
        return ObjectRef.of(ObjectKind.ENUM, schema, name);
    }
}
