package io.driftwatch.cache;

import io.driftwatch.model.SchemaModel;
import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.snapshot.Snapshot;
import io.driftwatch.snapshot.SnapshotCodec;
import io.driftwatch.snapshot.SnapshotException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The expected-model cache: models replayed from migrations, stored by {@link ReplayKey} so a later
 * audit with the same inputs skips starting a shadow and replaying.
 *
 * <p>Layout: {@code <dir>/expected-models/<64-hex key>.json}, each file a Driftwatch snapshot
 * ({@link SnapshotCodec}, so {@code --expected snapshot:FILE} can read it too) whose {@code source}
 * is {@code driftwatch expected-model cache <key>}. It holds the schema only: no data, no connection
 * strings, no placeholder values (those are hashed into the key).
 *
 * <p>Rules: writes are atomic (temp file + rename, {@link AtomicFileWriter}), so concurrent runs
 * see a complete file or none; an entry that cannot be read, does not parse (a truncated file never
 * does) or names another key is ignored with one note, deleted and replaced (its content hash is not
 * re-checked: that would double the load time, see docs/benchmarks.md); a cache that cannot be
 * written only gets a note. A hit touches the file's modification time, and after each write the
 * least recently used entries are deleted until at most {@code maxEntries} files and
 * {@code maxBytes} bytes remain (the newest entry always stays). Nothing here ever fails an audit.
 */
public final class ModelCache {

    /** Default bound on the number of entries. */
    public static final int DEFAULT_MAX_ENTRIES = 32;
    /** Default bound on the entries' total size: 512 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    private static final String SUBDIR = "expected-models";
    private static final String SOURCE_PREFIX = "driftwatch expected-model cache ";
    /** Temp files of crashed writers older than this are removed during eviction. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path dir;
    private final int maxEntries;
    private final long maxBytes;

    /**
     * @param dir the cache folder (created on first write), e.g. {@code ~/.cache/driftwatch}
     */
    public ModelCache(Path dir) {
        this(dir, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
    }

    /**
     * @param dir        the cache folder
     * @param maxEntries at most this many entries are kept (at least 1)
     * @param maxBytes   at most this many bytes of entries are kept (the newest entry always stays)
     * @throws IllegalArgumentException for a bound below 1
     */
    public ModelCache(Path dir, int maxEntries, long maxBytes) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("cache bounds must be at least 1 (entries " + maxEntries
                    + ", bytes " + maxBytes + ")");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * The default folder, after the XDG base directory specification: {@code $XDG_CACHE_HOME/driftwatch}
     * when that variable holds an absolute path, else {@code <home>/.cache/driftwatch}.
     *
     * @param env  environment variables
     * @param home the user's home folder ({@code user.home})
     * @return the folder (not created)
     */
    public static Path defaultDir(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg.trim()).isAbsolute()) {
            return Path.of(xdg.trim(), "driftwatch");
        }
        return Path.of(home, ".cache", "driftwatch");
    }

    /** @return the cache folder */
    public Path dir() {
        return dir;
    }

    /**
     * @param key an entry's key
     * @return where that entry lives (it may not exist)
     */
    public Path file(ReplayKey key) {
        return dir.resolve(SUBDIR).resolve(key.hex() + ".json");
    }

    /**
     * @param key an entry's key
     * @return whether a file exists for it (cheap; {@link #load} may still find it unusable)
     */
    public boolean contains(ReplayKey key) {
        return Files.isRegularFile(file(key));
    }

    /**
     * @param key  the key of the wanted model
     * @param note receives one line when an entry exists but is unusable (it is then deleted)
     * @return the cached model, or empty on a miss
     */
    public Optional<SchemaModel> load(ReplayKey key, Consumer<String> note) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            // no content-hash re-check (half the load time at 10,000 tables): the entry is named by
            // its key and written atomically, the strict parse fails a truncated or garbled file,
            // and the source line below must name this key
            Snapshot s = SnapshotCodec.readSnapshot(file, false);
            if (s.formatVersion() != SnapshotCodec.FORMAT_VERSION || !(SOURCE_PREFIX + key.hex()).equals(s.source())) {
                throw new SnapshotException("it was written for another key or format", null);
            }
            touch(file);
            return Optional.of(s.model());
        } catch (SnapshotException | RuntimeException e) {
            if (!Files.exists(file)) {
                return Optional.empty(); // evicted by a concurrent run between the check and the read
            }
            note.accept("expected-model cache: ignoring unreadable entry " + file + " ("
                    + firstLine(e.getMessage()) + "); replaying and replacing it");
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the write that follows the replay replaces it, or says why it cannot
            }
            return Optional.empty();
        }
    }

    /**
     * Stores a model atomically, then evicts least recently used entries beyond the bounds.
     *
     * @param key   its key
     * @param model the model replayed for that key
     * @param note  receives one line when the cache cannot be written
     * @return whether the entry was written
     */
    public boolean store(ReplayKey key, SchemaModel model, Consumer<String> note) {
        Path file = file(key);
        try {
            createPrivateDir(dir);
            // streamed: a 10,000-table model is ~45 MB of JSON, never held as text
            SnapshotCodec.write(Snapshot.of(model, SOURCE_PREFIX + key.hex(), Instant.now()), file);
        } catch (IOException | RuntimeException e) {
            note.accept("expected-model cache: cannot write " + file + " (" + firstLine(String.valueOf(e.getMessage()))
                    + "); continuing without caching");
            return false;
        }
        evict(file);
        return true;
    }

    /** @return the entries' files, newest first (by modification time) */
    List<Path> entries() {
        List<Path> files = new ArrayList<>();
        Path sub = dir.resolve(SUBDIR);
        if (!Files.isDirectory(sub)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sub)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp") && name.startsWith(".")) {
                    deleteIfStale(p);
                } else if (name.endsWith(".json") && !name.startsWith(".")) {
                    files.add(p);
                }
            }
        } catch (IOException ignored) {
            return files;
        }
        // modification times are read once: a concurrent touch must not change them mid-sort
        Map<Path, FileTime> times = new java.util.HashMap<>();
        files.forEach(f -> times.put(f, modified(f)));
        files.sort(Comparator.comparing((Path f) -> times.get(f)).reversed());
        return files;
    }

    private void evict(Path keep) {
        long bytes = 0;
        int count = 0;
        for (Path p : entries()) {
            long size;
            try {
                size = Files.size(p);
            } catch (IOException e) {
                continue; // deleted by a concurrent run
            }
            boolean fits = p.equals(keep) || (count < maxEntries && bytes + size <= maxBytes);
            if (fits) {
                count++;
                bytes += size;
            } else {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a concurrent run may hold it; the next eviction tries again
                }
            }
        }
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException ignored) {
            // created by a concurrent run
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // read-only cache: eviction order is then by write time
        }
    }

    private static void deleteIfStale(Path tmp) {
        try {
            if (modified(tmp).toInstant().isBefore(Instant.now().minus(STALE_TEMP))) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException ignored) {
            // another run's temp file in use, or already gone
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
