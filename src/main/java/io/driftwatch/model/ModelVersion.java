package io.driftwatch.model;

/**
 * The version of what a {@link SchemaModel} read from a catalog contains. The expected-model cache
 * ({@code io.driftwatch.cache.ModelCache}) keys every entry on it, so a cached model from an older
 * build is never used by a newer one that would read the shadow differently.
 *
 * <p><b>Bump {@link #VERSION} whenever a change makes the same database read into a different
 * model</b>: a new or changed record or field in this package, a changed catalog query
 * ({@code src/main/resources/io/driftwatch/postgres/*.sql}) or row mapping in
 * {@code PostgresCatalogReader}, a change to {@code ModelFilter}, the replay ({@code Replayer}) or
 * the snapshot codec. Forgetting is not fatal: the cache key also holds the Driftwatch version and a
 * fingerprint of the classes and queries of those packages ({@code io.driftwatch.cache.CodeFingerprint}),
 * but the fingerprint is only as good as the build is reproducible, and this constant says it on purpose.
 */
public final class ModelVersion {

    /** Current model version; see the class doc for when to bump it. */
    public static final int VERSION = 1;

    private ModelVersion() {
    }
}
