package io.driftwatch.cache;

import io.driftwatch.Version;
import io.driftwatch.model.Revision;
import io.driftwatch.tool.CacheKeyField;
import io.driftwatch.tool.UncacheableException;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.ModelVersion;
import io.driftwatch.snapshot.SnapshotCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key of one expected model in the {@link ModelCache}: a SHA-256 over everything that decides
 * what replaying the applied migrations into a shadow and reading it back yields.
 *
 * <p>The hashed text holds, in this order (each value length-prefixed, so no two inputs hash alike):
 * <ol>
 *   <li>{@link ModelVersion#VERSION}, the snapshot format ({@link SnapshotCodec#FORMAT_VERSION}), the
 *       Driftwatch version and the {@link CodeFingerprint};</li>
 *   <li>the PostgreSQL major version of the shadow server the model was (or would be) replayed on;</li>
 *   <li>the migration tool's name, then each revision to replay, in replay order: id, parents,
 *       dependencies, script name, the tool's checksum and a SHA-256 of the file's bytes (Flyway's
 *       CRC-32 ignores line breaks, so joining two lines keeps it);</li>
 *   <li>the tool's own inputs ({@code MigrationTool.cacheKey}): for Flyway each script's version,
 *       description and {@code <script>.conf} sidecar, schemas, default schema, version table and every
 *       placeholder (sorted by name; values are hashed, never stored); for Alembic its configuration
 *       and {@code env.py};</li>
 *   <li>the filter the shadow is read with: schemas, exclude globs, version table, privileges,
 *       owners and the role map;</li>
 *   <li>the role names created in the shadow (the target's roles and the role map's targets), since a
 *       migration may branch on them.</li>
 * </ol>
 *
 * <p>A tool refuses a key ({@link UncacheableException}) when its replay differs each time (Flyway's
 * per-run placeholders {@code ${flyway:timestamp}}, {@code ${flyway:database}}, {@code ${flyway:user}},
 * {@code ${flyway:workingDirectory}}).
 */
public final class ReplayKey {


    private final String hex;
    private final int shadowMajor;

    private ReplayKey(String hex, int shadowMajor) {
        this.hex = hex;
        this.shadowMajor = shadowMajor;
    }

    /** @return the key: 64 lower-case hex digits */
    public String hex() {
        return hex;
    }

    /** @return the first 12 hex digits, for messages */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    /** @return the shadow major version this key was made for */
    public int shadowMajor() {
        return shadowMajor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayKey k && k.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return hex;
    }

    /**
     * Everything in the key except the shadow's major version, hashed once; {@link #forMajor} then
     * gives the key for a server version (a forecast before the shadow starts, the real one after).
     */
    public static final class Inputs {
        private final byte[] canonical;

        private Inputs(byte[] canonical) {
            this.canonical = canonical;
        }

        /**
         * @param major PostgreSQL major version of the shadow server, e.g. 15
         * @return the key
         */
        public ReplayKey forMajor(int major) {
            MessageDigest sha = sha256();
            sha.update(canonical);
            sha.update(field("pg.major", String.valueOf(major)).getBytes(StandardCharsets.UTF_8));
            return new ReplayKey(HexFormat.of().formatHex(sha.digest()), major);
        }
    }

    /**
     * Reads the revision files (to hash their bytes) and collects the other inputs.
     *
     * @param tool      the migration tool's name
     * @param revisions the revisions the replay applies, in replay order ({@code HistoryReport.toReplay()})
     * @param toolKey   the tool's own inputs ({@code MigrationTool.cacheKey}: settings, placeholders, sidecars)
     * @param filter    the filter the shadow is read with
     * @param roles     role names created in the shadow (order and duplicates do not matter)
     * @return the inputs, ready for {@link Inputs#forMajor}
     * @throws UncacheableException when a revision file cannot be read
     */
    public static Inputs inputs(String tool, List<Revision> revisions, List<CacheKeyField> toolKey,
                                SchemaFilter filter, Collection<String> roles) throws UncacheableException {
        StringBuilder b = new StringBuilder(256 + 200 * revisions.size());
        b.append(field("driftwatch.modelVersion", String.valueOf(ModelVersion.VERSION)));
        b.append(field("snapshot.formatVersion", String.valueOf(SnapshotCodec.FORMAT_VERSION)));
        b.append(field("driftwatch.version", Version.get()));
        b.append(field("driftwatch.code", CodeFingerprint.get()));
        b.append(field("tool", tool));
        b.append(field("revisions", String.valueOf(revisions.size())));
        for (Revision r : revisions) {
            b.append(field("revision.id", r.id()));
            b.append(field("revision.parents", String.join(",", quoteAll(r.parents()))));
            b.append(field("revision.dependsOn", String.join(",", quoteAll(r.dependsOn()))));
            b.append(field("revision.script", r.script()));
            b.append(field("revision.checksum", r.checksum()));
            b.append(field("revision.sha256", r.file() == null ? null : hex(read(Path.of(r.file()), r.script()))));
        }
        for (CacheKeyField f : toolKey) {
            b.append(field(f.name(), f.value()));
        }
        b.append(field("filter.schemas", String.join(",", quoteAll(filter.schemas()))));
        b.append(field("filter.excludes", String.join(",", quoteAll(filter.excludes()))));
        b.append(field("filter.historySchema", filter.historySchema()));
        b.append(field("filter.historyTable", filter.historyTable()));
        b.append(field("filter.privileges", String.valueOf(filter.withPrivileges())));
        b.append(field("filter.owners", String.valueOf(filter.withOwners())));
        for (Map.Entry<String, String> r : new TreeMap<>(filter.roleMap()).entrySet()) {
            b.append(field("filter.roleMap.from", r.getKey()));
            b.append(field("filter.roleMap.to", r.getValue()));
        }
        for (String role : new TreeSet<>(roles.stream().filter(Objects::nonNull).toList())) {
            b.append(field("shadow.role", role));
        }
        return new Inputs(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(Path file, String name) throws UncacheableException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncacheableException(name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code name=<length>:<value>\n}, or {@code name=null\n}: unambiguous for any value. */
    private static String field(String name, String value) {
        return value == null ? name + "=null\n" : name + "=" + value.length() + ":" + value + "\n";
    }

    private static List<String> quoteAll(List<String> values) {
        return values.stream().map(v -> v.length() + ":" + v).toList();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
