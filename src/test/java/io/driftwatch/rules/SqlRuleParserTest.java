package io.driftwatch.rules;

import io.driftwatch.model.ObjectKind;
import io.driftwatch.policy.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rule file headers: a good file parses into its rule; each file in {@code fixtures/sql-rules/bad/}
 * fails with exactly the one-line message {@code expected.txt} gives, naming file and line.
 */
class SqlRuleParserTest {

    static final Path BAD = Path.of(System.getProperty("driftwatch.projectDir", "."))
            .resolve("fixtures/sql-rules/bad");

    static Stream<String> badFiles() throws Exception {
        return Files.readAllLines(BAD.resolve("expected.txt"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileFailsNamingFileAndLine(String line, @TempDir Path dir) throws Exception {
        String file = line.substring(0, line.indexOf(' '));
        String rest = line.substring(line.indexOf(' ') + 1);
        Path copy = Files.copy(BAD.resolve(file), dir.resolve(file));
        RuleFileException e = assertThrows(RuleFileException.class, () -> SqlRuleSet.load(List.of(dir), false));
        assertEquals(copy + ":" + rest, e.getMessage());
    }

    @Test
    void everyBadFileHasAnExpectedMessage() throws Exception {
        List<String> listed = badFiles().map(l -> l.substring(0, l.indexOf(' '))).sorted().toList();
        try (Stream<Path> s = Files.list(BAD)) {
            assertEquals(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList(), listed);
        }
    }

    @Test
    void aGoodHeaderWithContinuationsAndSources() {
        SqlRule r = SqlRuleParser.parse("rules/a.sql", String.join("\n",
                "", "-- id: ACME042", "-- name: no-float", "-- severity: Error", "-- title: Floats",
                "-- message: {schema_name}.{table_name}", "-- object: materialized view",
                "-- description: first line", "--   second line", "--", "-- fix: do it",
                "-- see: https://a.example/1", "-- see: https://b.example/2", "", "-- a note on the query",
                "SELECT schema_name, table_name", "FROM tables;;", ""));
        assertEquals("ACME042", r.rule().id());
        assertEquals("no-float", r.rule().slug());
        assertEquals(Severity.ERROR, r.rule().defaultSeverity());
        assertEquals("first line second line", r.rule().description());
        assertEquals("do it", r.rule().fix());
        assertEquals(ObjectKind.MATERIALIZED_VIEW, r.objectKind());
        assertEquals(List.of("https://a.example/1", "https://b.example/2"), r.see());
        assertEquals(15, r.sqlLine());
        assertEquals("-- a note on the query\nSELECT schema_name, table_name\nFROM tables", r.sql());
        assertEquals(2, r.idLine());
        assertEquals(6, r.messageLine());
        assertFalse(r.rule().isBuiltIn());
    }

    @Test
    void projectFolderSkipsSqlFilesThatAreNotRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("seed.sql"), "-- seed data\nINSERT INTO t VALUES (1);\n");
        Files.writeString(dir.resolve("r.sql"), "-- id: ACME1\n-- name: r\n-- severity: info\n-- title: t\n"
                + "-- message: m\n-- object: schema\nSELECT schema_name FROM tables\n");
        SqlRuleSet set = SqlRuleSet.loadProject(dir, false);
        assertEquals(List.of("ACME1"), set.rules().stream().map(io.driftwatch.policy.Rule::id).toList());
        assertEquals(List.of(dir.resolve("seed.sql").toString()), set.skipped());
        assertTrue(SqlRuleSet.loadProject(dir.resolve("none"), false).isEmpty());
        assertEquals(9, SqlRuleSet.loadProject(dir, true).rules().size(), "lint pack first, then the project's");
        // --rules is strict: a .sql file without a header is an error there
        RuleFileException e = assertThrows(RuleFileException.class, () -> SqlRuleSet.load(List.of(dir), false));
        assertTrue(e.getMessage().startsWith(dir.resolve("seed.sql") + ":1: expected a header line"), e.getMessage());
    }
}
