package io.driftwatch.cache;

import io.driftwatch.model.SchemaFilter;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.model.Revision;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.tool.UncacheableException;
import io.driftwatch.tool.VersionTableRef;
import io.driftwatch.flyway.ResolvedMigration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReplayKey}: every input that changes the expected model changes the key, and nothing else
 * (ordering of roles) does. One base set of inputs, one variation per key component.
 */
class ReplayKeyTest {

    /** The inputs of one key, varied one component at a time. */
    record In(List<ResolvedMigration> scripts, ReplaySettings settings, SchemaFilter filter, List<String> roles,
              int major) {
        String key() throws Exception {
            RevisionGraph graph = FlywayTool.graph(new MigrationSet(List.of(), scripts));
            FlywayTool tool = new FlywayTool(List.of(), settings.placeholders(), settings.schemas(),
                    settings.defaultSchema(), settings.table());
            List<String> ids = graph.revisions().stream().map(Revision::id).toList();
            return ReplayKey.inputs("flyway", graph.revisions(),
                    tool.cacheKey(graph, ids, new VersionTableRef(settings.defaultSchema(), settings.table())),
                    filter, roles).forMajor(major).hex();
        }
    }

    @TempDir
    Path dir;
    Path v1;
    Path v2;
    In base;

    @BeforeEach
    void project() throws Exception {
        v1 = write("V1__account.sql", "CREATE TABLE account (id bigint PRIMARY KEY);\n");
        v2 = write("V2__idx.sql", "CREATE INDEX account_id ON account (id);\n");
        base = new In(List.of(script(v1, "1", 11), script(v2, "2", 22)),
                new ReplaySettings(List.of("public"), "public", "flyway_schema_history", Map.of("team", "core")),
                new SchemaFilter(List.of(), List.of(), "public", "flyway_schema_history"),
                List.of("app", "reporting"), 15);
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static ResolvedMigration script(Path file, String version, int checksum) {
        return new ResolvedMigration(version, file.getFileName().toString(), file.getFileName().toString(), checksum,
                false, file.toString());
    }

    @Test
    void sameInputsGiveTheSameKey() throws Exception {
        assertEquals(base.key(), base.key());
        assertEquals(64, base.key().length());
        // the order roles are read in does not matter; duplicates neither
        assertEquals(base.key(), new In(base.scripts(), base.settings(), base.filter(),
                List.of("reporting", "app", "app"), base.major()).key());
    }

    @Test
    void everyComponentChangesTheKey() throws Exception {
        Map<String, Function<In, In>> variations = new LinkedHashMap<>();
        variations.put("shadow major", i -> new In(i.scripts(), i.settings(), i.filter(), i.roles(), 16));
        variations.put("one script fewer", i -> new In(i.scripts().subList(0, 1), i.settings(), i.filter(), i.roles(),
                i.major()));
        variations.put("script order", i -> new In(List.of(i.scripts().get(1), i.scripts().get(0)), i.settings(),
                i.filter(), i.roles(), i.major()));
        variations.put("checksum", i -> new In(List.of(i.scripts().get(0), script(v2, "2", 23)), i.settings(),
                i.filter(), i.roles(), i.major()));
        variations.put("version", i -> new In(List.of(i.scripts().get(0), script(v2, "2.1", 22)), i.settings(),
                i.filter(), i.roles(), i.major()));
        variations.put("repeatable", i -> new In(List.of(i.scripts().get(0), new ResolvedMigration(null, "V2__idx.sql",
                "V2__idx.sql", 22, true, v2.toString())), i.settings(), i.filter(), i.roles(), i.major()));
        variations.put("placeholder value", i -> new In(i.scripts(), new ReplaySettings(i.settings().schemas(),
                i.settings().defaultSchema(), i.settings().table(), Map.of("team", "payments")), i.filter(), i.roles(),
                i.major()));
        variations.put("placeholder added", i -> new In(i.scripts(), new ReplaySettings(i.settings().schemas(),
                i.settings().defaultSchema(), i.settings().table(), Map.of("team", "core", "x", "")), i.filter(),
                i.roles(), i.major()));
        variations.put("flyway schemas", i -> new In(i.scripts(), new ReplaySettings(List.of("public", "billing"),
                i.settings().defaultSchema(), i.settings().table(), i.settings().placeholders()), i.filter(), i.roles(),
                i.major()));
        variations.put("flyway default schema", i -> new In(i.scripts(), new ReplaySettings(i.settings().schemas(),
                "billing", i.settings().table(), i.settings().placeholders()), i.filter(), i.roles(), i.major()));
        variations.put("flyway table", i -> new In(i.scripts(), new ReplaySettings(i.settings().schemas(),
                i.settings().defaultSchema(), "history", i.settings().placeholders()), i.filter(), i.roles(),
                i.major()));
        variations.put("--schemas", i -> new In(i.scripts(), i.settings(),
                new SchemaFilter(List.of("public"), List.of(), "public", "flyway_schema_history"), i.roles(),
                i.major()));
        variations.put("--exclude", i -> new In(i.scripts(), i.settings(),
                new SchemaFilter(List.of(), List.of("public.tmp_*"), "public", "flyway_schema_history"), i.roles(),
                i.major()));
        variations.put("history table in the filter", i -> new In(i.scripts(), i.settings(),
                new SchemaFilter(List.of(), List.of(), "public", "history"), i.roles(), i.major()));
        variations.put("--with-privileges", i -> new In(i.scripts(), i.settings(),
                i.filter().withAccess(true, false, Map.of()), i.roles(), i.major()));
        variations.put("--with-owners", i -> new In(i.scripts(), i.settings(),
                i.filter().withAccess(false, true, Map.of()), i.roles(), i.major()));
        variations.put("--role-map", i -> new In(i.scripts(), i.settings(),
                i.filter().withAccess(false, false, Map.of("prod_app", "app")), i.roles(), i.major()));
        variations.put("shadow roles", i -> new In(i.scripts(), i.settings(), i.filter(), List.of("app"), i.major()));

        String baseKey = base.key();
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put(baseKey, "base");
        for (Map.Entry<String, Function<In, In>> v : variations.entrySet()) {
            String key = v.getValue().apply(base).key();
            String clash = seen.put(key, v.getKey());
            assertEquals(null, clash, v.getKey() + " gives the same key as " + clash);
        }
    }

    @Test
    void scriptBytesCountEvenWhenFlywaysChecksumDoesNot() throws Exception {
        String before = base.key();
        // joining two lines keeps Flyway's CRC-32 (line breaks are dropped) but changes the script:
        // here the second statement moves into the comment
        Files.writeString(v2, "-- idx\nCREATE INDEX account_id ON account (id);\n");
        String twoLines = base.key();
        Files.writeString(v2, "-- idxCREATE INDEX account_id ON account (id);\n");
        assertNotEquals(before, twoLines);
        assertNotEquals(twoLines, base.key());
    }

    @Test
    void sidecarConfigCounts() throws Exception {
        String before = base.key();
        Files.writeString(dir.resolve("V2__idx.sql.conf"), "executeInTransaction=false\n");
        assertNotEquals(before, base.key());
    }

    @Test
    void perRunFlywayPlaceholdersAreUncacheable() throws Exception {
        Files.writeString(v2, "COMMENT ON TABLE account IS 'built ${flyway:timestamp}';\n");
        UncacheableException e = assertThrows(UncacheableException.class, base::key);
        assertEquals("V2__idx.sql uses ${flyway:timestamp}, which replays differently each time", e.getMessage());
        // the ones the key already fixes are fine
        Files.writeString(v2, "COMMENT ON TABLE account IS 'in ${flyway:defaultSchema}.${flyway:table}';\n");
        assertEquals(64, base.key().length());
    }

    @Test
    void unreadableScriptIsUncacheable() throws Exception {
        Files.delete(v1);
        UncacheableException e = assertThrows(UncacheableException.class, base::key);
        assertTrue(e.getMessage().startsWith("V1__account.sql cannot be read"), e.getMessage());
    }
}
