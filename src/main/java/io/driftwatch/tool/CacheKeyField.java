package io.driftwatch.tool;

import java.util.Objects;

/**
 * One named input of the expected-model cache key that only the migration tool knows (its settings,
 * placeholders, sidecar files, configuration files, its own version). The key hashes every field in
 * order, length-prefixed.
 *
 * @param name  field name, e.g. {@code flyway.placeholder.name}
 * @param value value, or null
 */
public record CacheKeyField(String name, String value) {

    public CacheKeyField {
        Objects.requireNonNull(name, "name");
    }
}
