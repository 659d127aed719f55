package io.driftwatch.cache;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.model.Column;
import io.driftwatch.model.Constraint;
import io.driftwatch.model.Index;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.model.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cache entries are read by the streaming snapshot reader without re-checking their content hash:
 * a truncated entry must still never come back as a model. No database.
 */
class ModelCacheIntegrityTest {

    @TempDir
    Path dir;

    private static ReplayKey key() throws Exception {
        return ReplayKey.inputs("flyway", List.of(), List.of(), SchemaFilter.all(), List.of()).forMajor(15);
    }

    private static SchemaModel model() {
        Table t = new Table("public", "account", false, null, null, null,
                List.of(new Column("id", 1, "bigint", true, null, Column.Identity.ALWAYS, null, null),
                        new Column("email", 2, "text", false, "''::text", Column.Identity.NONE, null, null)),
                List.of(new Constraint("account_pkey", Constraint.Type.PRIMARY_KEY, "PRIMARY KEY (id)", List.of("id"), null)),
                List.of(new Index("account_email_idx", "CREATE INDEX account_email_idx ON public.account USING btree (email)",
                        false, "btree", null, true)));
        return new SchemaModel("15.4", List.of("public"), List.of(t), List.of(), List.of(), List.of());
    }

    @Test
    void everyTruncatedEntryIsIgnoredWithOneNoteAndDeleted() throws Exception {
        ModelCache cache = new ModelCache(dir);
        assertTrue(cache.store(key(), model(), n -> { }));
        Path file = cache.file(key());
        byte[] whole = Files.readAllBytes(file);
        int end = new String(whole, java.nio.charset.StandardCharsets.UTF_8).lastIndexOf('}') + 1;
        for (int cut = 0; cut < end; cut += 3) {
            Files.write(file, Arrays.copyOf(whole, cut));
            List<String> notes = new ArrayList<>();
            assertEquals(Optional.empty(), cache.load(key(), notes::add), "cut at " + cut);
            assertEquals(1, notes.size(), "cut at " + cut + ": " + notes);
            assertFalse(Files.exists(file), "cut at " + cut);
        }
        Files.write(file, whole);
        assertEquals(Optional.of(model()), cache.load(key(), n -> { }));
    }

    /** The trade made for speed (docs/benchmarks.md, "cache load"): the key names the entry, not the hash. */
    @Test
    void anEntryIsUsedWithoutRecheckingItsContentHash() throws Exception {
        ModelCache cache = new ModelCache(dir);
        cache.store(key(), model(), n -> { });
        Path file = cache.file(key());
        Files.writeString(file, Files.readString(file).replaceFirst("sha256:[0-9a-f]{64}", "sha256:" + "0".repeat(64)));
        List<String> notes = new ArrayList<>();
        assertEquals(Optional.of(model()), cache.load(key(), notes::add));
        assertEquals(List.of(), notes);
    }
}
