package io.driftwatch.snapshot;

import io.driftwatch.Version;
import io.driftwatch.model.SchemaModel;

import java.time.Instant;
import java.util.Objects;

/**
 * A schema model with the facts of where and when it was taken: the content of a snapshot file
 * written by {@code driftwatch inspect} (shape in {@link SnapshotCodec}).
 *
 * @param formatVersion snapshot format version the file was written in ({@link SnapshotCodec#FORMAT_VERSION})
 * @param toolVersion   Driftwatch version that wrote it, e.g. {@code 0.1.0}, or {@code dev}
 * @param createdAt     when it was taken (UTC); null when written with {@code --no-timestamp}
 * @param source        what it was taken from, as a source string with no password in it, e.g.
 *                      {@code postgresql://app@db:5432/shop} or {@code migrations:db/migration@16}
 * @param contentHash   {@code sha256:<64 hex>} over the canonical JSON of the model's objects
 *                      (see {@link SnapshotCodec#contentHash(SchemaModel)}); not over time, source,
 *                      tool or server version
 * @param model         the schema; {@link SchemaModel#serverVersion()} is the source's server version
 */
public record Snapshot(int formatVersion, String toolVersion, Instant createdAt, String source,
                       String contentHash, SchemaModel model) {

    public Snapshot {
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(model, "model");
    }

    /**
     * A snapshot of {@code model} in the current format, by this Driftwatch version.
     *
     * @param model     the schema
     * @param source    where it came from, password-free (callers pass {@code Source.display()})
     * @param createdAt when it was taken, or null to leave the time out (byte-identical files)
     * @return the snapshot with its content hash computed
     */
    public static Snapshot of(SchemaModel model, String source, Instant createdAt) {
        return new Snapshot(SnapshotCodec.FORMAT_VERSION, Version.get(), createdAt, source,
                SnapshotCodec.contentHash(model), model);
    }
}
