package io.driftwatch.policy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rules/README.md} lists every built-in rule; this test fails when it is stale. Regenerate with
 * {@code ./mvnw test -Dtest=RuleCatalogDocTest -Ddriftwatch.regenerateDocs=true}.
 */
class RuleCatalogDocTest {

    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Built-in rules\n\n")
                .append("Every finding Driftwatch reports carries one of these stable rule ids. An id never changes meaning\n")
                .append("once released. `DW1xx`: schema drift (the live database differs from what the applied migrations\n")
                .append("create). `DW2xx`: the version table (`flyway_schema_history`) disagrees with the scripts, in\n")
                .append("Flyway's vocabulary. `DW30x`: `driftwatch gate`'s rehearsal of the pending migrations. `DW31x`:\n")
                .append("hazards of the pending migrations at production's real sizes. `DW32x`: read-only data probes\n")
                .append("against production. `DW33x` and up: the lint pack. `DW4xx`: the policy itself (waivers).\n\n")
                .append("Generated from `src/main/java/io/driftwatch/policy/Rule.java`; `RuleCatalogDocTest` fails when this\n")
                .append("file is stale.\n\n")
                .append("| id | name | default severity | what it means |\n")
                .append("|---|---|---|---|\n");
        for (Rule r : Rule.values()) {
            sb.append("| ").append(r.id()).append(" | `").append(r.slug()).append("` | ")
                    .append(r.defaultSeverity().label()).append(" | ").append(r.title()).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void readmeListsEveryRule() throws Exception {
        Path doc = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("rules/README.md");
        String expected = render();
        if (Boolean.getBoolean("driftwatch.regenerateDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                "rules/README.md is stale; regenerate with -Ddriftwatch.regenerateDocs=true");
    }

    @Test
    void idsAndSlugsAreUnique() {
        Set<String> slugs = new HashSet<>();
        for (Rule r : Rule.values()) {
            assertTrue(r.id().matches("DW[1-4]\\d\\d"), r.id());
            assertTrue(slugs.add(r.slug()), "duplicate slug " + r.slug());
            assertEquals(r, Rule.parse(r.slug()));
            assertEquals(r, Rule.parse(r.id().toLowerCase()));
        }
    }
}
