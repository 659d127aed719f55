package io.driftwatch.cache;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.snapshot.SnapshotCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModelCache} on disk: round trip, corrupt entries, bounds, default folder. No database. */
class ModelCacheTest {

    @TempDir
    Path dir;

    private static ReplayKey key(int major) throws Exception {
        return ReplayKey.inputs("flyway", List.of(), List.of(), SchemaFilter.all(), List.of()).forMajor(major);
    }

    private static SchemaModel model(String version) {
        return new SchemaModel(version, List.of("public", "billing"), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void storedModelComesBackEqual() throws Exception {
        ModelCache cache = new ModelCache(dir);
        List<String> notes = new ArrayList<>();
        assertEquals(Optional.empty(), cache.load(key(15), notes::add));
        assertTrue(cache.store(key(15), model("15.4"), notes::add));
        assertEquals(Optional.of(model("15.4")), cache.load(key(15), notes::add));
        assertEquals(Optional.empty(), cache.load(key(16), notes::add), "another major is another entry");
        assertEquals(List.of(), notes);
        // the entry is a snapshot file named by its key
        Path file = dir.resolve("expected-models").resolve(key(15).hex() + ".json");
        assertEquals(file, cache.file(key(15)));
        assertEquals(model("15.4"), SnapshotCodec.read(file));
    }

    @Test
    void corruptEntryIsIgnoredWithOneNoteAndDeleted() throws Exception {
        ModelCache cache = new ModelCache(dir);
        cache.store(key(15), model("15.4"), n -> { });
        Path file = cache.file(key(15));
        Files.writeString(file, "{ \"formatVersion\": 2, \"tool\": ");
        List<String> notes = new ArrayList<>();
        assertEquals(Optional.empty(), cache.load(key(15), notes::add));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("expected-model cache: ignoring unreadable entry " + file), notes.get(0));
        assertTrue(notes.get(0).endsWith("; replaying and replacing it"), notes.get(0));
        assertFalse(Files.exists(file));
    }

    @Test
    void entryUnderTheWrongNameIsNotUsed() throws Exception {
        ModelCache cache = new ModelCache(dir);
        cache.store(key(15), model("15.4"), n -> { });
        Files.copy(cache.file(key(15)), cache.file(key(16)));
        List<String> notes = new ArrayList<>();
        assertEquals(Optional.empty(), cache.load(key(16), notes::add));
        assertTrue(notes.get(0).contains("another key"), notes.toString());
    }

    @Test
    void unwritableCacheIsANoteNotAnError() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ModelCache cache = new ModelCache(file.resolve("cache"));
        List<String> notes = new ArrayList<>();
        assertFalse(cache.store(key(15), model("15.4"), notes::add));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("expected-model cache: cannot write "), notes.get(0));
    }

    @Test
    void leastRecentlyUsedEntriesAreEvictedBeyondTheCount() throws Exception {
        ModelCache cache = new ModelCache(dir, 2, Long.MAX_VALUE);
        cache.store(key(13), model("13.1"), n -> { });
        age(cache.file(key(13)), 300);
        cache.store(key(14), model("14.1"), n -> { });
        age(cache.file(key(14)), 200);
        // a hit makes 13 the most recently used
        assertTrue(cache.load(key(13), n -> { }).isPresent());
        cache.store(key(15), model("15.1"), n -> { });
        assertTrue(Files.exists(cache.file(key(13))));
        assertFalse(Files.exists(cache.file(key(14))), "least recently used goes first");
        assertTrue(Files.exists(cache.file(key(15))));
        assertEquals(2, cache.entries().size());
    }

    @Test
    void sizeBoundKeepsAtLeastTheNewestEntry() throws Exception {
        ModelCache cache = new ModelCache(dir, 100, 1);
        cache.store(key(13), model("13.1"), n -> { });
        age(cache.file(key(13)), 100);
        cache.store(key(14), model("14.1"), n -> { });
        assertEquals(List.of(cache.file(key(14))), cache.entries());
    }

    @Test
    void defaultFolderFollowsXdg() {
        assertEquals(Path.of("/x/cache/driftwatch"), ModelCache.defaultDir(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/driftwatch"), ModelCache.defaultDir(Map.of(), "/home/u"));
        // the spec says relative values are invalid and ignored
        assertEquals(Path.of("/home/u/.cache/driftwatch"),
                ModelCache.defaultDir(Map.of("XDG_CACHE_HOME", "rel/cache"), "/home/u"));
    }

    private static void age(Path file, int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - seconds * 1000L));
    }
}
