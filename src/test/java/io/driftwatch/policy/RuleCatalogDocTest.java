package io.driftwatch.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule catalog ({@code rules/catalog.yaml}) against the Java constants of {@link Rule}, and
 * {@code docs/rules.md} against the catalog: this test fails when the doc is stale (regenerate with
 * {@code ./mvnw test -Dtest=RuleCatalogDocTest -Ddriftwatch.regenerateDocs=true}), when a built-in rule
 * lacks a description or fix, when the catalog and Java disagree on an id, slug, severity or title,
 * and when ids or slugs are duplicated. The negative cases mutate the real catalog's text, so they
 * prove the checks catch each kind of mistake in the file people actually edit.
 */
class RuleCatalogDocTest {

    private static final Path PROJECT = Path.of(System.getProperty("driftwatch.projectDir", "."));

    private static String catalogText() throws IOException {
        return Files.readString(PROJECT.resolve("rules/catalog.yaml"), StandardCharsets.UTF_8);
    }

    @Test
    void docsRulesMdIsUpToDate() throws Exception {
        Path doc = PROJECT.resolve(RuleDocs.PATH);
        String expected = RuleDocs.markdown(Rule.values(),
                io.driftwatch.rules.SqlRuleSet.lintPack().stream().map(io.driftwatch.rules.SqlRule::rule).toList());
        if (Boolean.getBoolean("driftwatch.regenerateDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(doc), doc + " is missing; generate it with -Ddriftwatch.regenerateDocs=true");
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                RuleDocs.PATH + " is stale; regenerate with "
                        + "./mvnw test -Dtest=RuleCatalogDocTest -Ddriftwatch.regenerateDocs=true");
    }

    @Test
    void catalogFileAgreesWithJava() throws Exception {
        Map<String, RuleCatalog.Entry> file = RuleCatalog.parse(catalogText(), "rules/catalog.yaml");
        assertEquals(List.of(), RuleCatalog.problems(file, Rule.core()));
        assertEquals(Rule.values().size(), file.size());
    }

    @Test
    void packagedCatalogIsTheProjectsFile() throws Exception {
        try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(RuleCatalog.RESOURCE)) {
            assertNotNull(in, "rules/catalog.yaml is not on the classpath: check the pom's resources");
            assertEquals(catalogText(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(Rule.values().size(), RuleCatalog.entries().size());
    }

    @Test
    void everyBuiltInRuleHasItsTexts() {
        for (Rule r : Rule.values()) {
            String d = r.description();
            String f = r.fix();
            assertFalse(d.isBlank(), r.id() + " has no description");
            assertFalse(f.isBlank(), r.id() + " has no fix");
            assertTrue(d.length() >= 60 && !d.equals(r.title()), r.id() + ": description says no more than the title");
            assertTrue(d.endsWith(".") && f.endsWith("."), r.id() + ": texts end with a full stop");
            assertFalse(d.contains("\n") || f.contains("\n"), r.id() + ": texts are folded to one paragraph");
            assertTrue(r.see().isEmpty() || r.see().startsWith("https://"), r.id() + ": see " + r.see());
            assertEquals(0, d.chars().filter(c -> c == '`').count() % 2, r.id() + ": unbalanced backticks in the description");
            assertEquals(0, f.chars().filter(c -> c == '`').count() % 2, r.id() + ": unbalanced backticks in the fix");
        }
        assertEquals("https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
                Rule.DW312.see());
        assertTrue(Rule.DW201.fix().contains("driftwatch stamp"), Rule.DW201.fix());
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

    /** One mistake each, made in the real catalog text, and what the checks must say about it. */
    static Stream<Arguments> brokenCatalogs() {
        String dw101 = "  - id: DW101\n    name: extra-index\n    severity: warning\n";
        return Stream.of(
                Arguments.of("severity differs from Java", dw101, dw101.replace("warning", "error"),
                        "DW101: severity is error in the catalog but warning in Rule.java"),
                Arguments.of("slug differs from Java", dw101, dw101.replace("extra-index", "extra-idx"),
                        "DW101: name is 'extra-idx' in the catalog but 'extra-index' in Rule.java"),
                Arguments.of("title differs from Java", "title: Index in the database that no migration creates\n",
                        "title: Index nobody made\n", "DW101: title is \"Index nobody made\""),
                Arguments.of("id Java lacks", dw101, dw101.replace("DW101", "DW199"),
                        "DW199 is in the catalog but is not a built-in rule"),
                Arguments.of("built-in rule without entry", dw101, dw101.replace("DW101", "DW199"),
                        "DW101 extra-index is a built-in rule but has no entry"),
                Arguments.of("out of order", "  - id: DW102\n    name: missing-index\n",
                        "  - id: DW102\n    name: missing-index\n", "another order"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCatalogs")
    void disagreementsWithJavaAreNamed(String what, String from, String to, String expected) throws Exception {
        String text = catalogText();
        assertTrue(text.contains(from), "fixture no longer matches the catalog's layout: " + from);
        String broken = text.replace(from, to);
        if (what.equals("out of order")) {
            broken = swapFirstTwoEntries(text);
        }
        Map<String, RuleCatalog.Entry> parsed = RuleCatalog.parse(broken, "test");
        List<String> problems = RuleCatalog.problems(parsed, Rule.core());
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), what + ": " + problems);
    }

    private static String swapFirstTwoEntries(String text) {
        int a = text.indexOf("  - id: DW101");
        int b = text.indexOf("  - id: DW102");
        int c = text.indexOf("  - id: DW103");
        return text.substring(0, a) + text.substring(b, c) + text.substring(a, b) + text.substring(c);
    }

    static Stream<Arguments> malformedCatalogs() {
        String dw102 = "  - id: DW102\n    name: missing-index\n";
        return Stream.of(
                Arguments.of("duplicate id", dw102, "  - id: DW101\n    name: missing-index\n", "DW101 is listed twice"),
                Arguments.of("duplicate slug", dw102, "  - id: DW102\n    name: extra-index\n",
                        "name 'extra-index' is used by another rule"),
                Arguments.of("missing fix", "    fix: >-\n      If the index is wanted", "    fixx: >-\n      If the index is wanted",
                        "rule #1 (DW101): 'fix' is missing"),
                Arguments.of("unknown key", "    fix: >-\n      If the index is wanted", "    fixx: >-\n      If the index is wanted",
                        "unknown key 'fixx'"),
                Arguments.of("blank description", "    description: >-\n      An index exists",
                        "    description: \"\"\n    x: >-\n      An index exists", "'description' is blank"),
                Arguments.of("bad severity", "name: extra-index\n    severity: warning", "name: extra-index\n    severity: Warning",
                        "severity 'Warning' must be error, warning or info"),
                Arguments.of("bad id", "  - id: DW101\n", "  - id: dw101\n", "id 'dw101' must be capital letters"),
                Arguments.of("bad url", "    see: https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY\n\n  - id: DW102",
                        "    see: www.postgresql.org\n\n  - id: DW102", "must be one https:// URL"),
                Arguments.of("wrong format", "format: 1\n", "format: 2\n", "'format' must be 1, got 2"),
                Arguments.of("duplicate key", "    severity: warning\n    title: Index in the database",
                        "    severity: warning\n    severity: error\n    title: Index in the database", "not valid YAML"),
                Arguments.of("not YAML", "rules:\n", "rules: [\n", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCatalogs")
    void malformedCatalogsFailLoudly(String what, String from, String to, String expected) throws Exception {
        String text = catalogText();
        assertTrue(text.contains(from), "fixture no longer matches the catalog's layout: " + from);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RuleCatalog.parse(text.replaceFirst(java.util.regex.Pattern.quote(from),
                        java.util.regex.Matcher.quoteReplacement(to)), "rules/catalog.yaml"));
        assertTrue(e.getMessage().startsWith("rules/catalog.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void docsListLintPackRulesAndLinkEverySection() {
        Rule lint = Rule.custom("DW330", "table-without-primary-key", Severity.WARNING,
                "Table without a primary key", "Logical replication cannot replicate its UPDATEs.",
                "Add a primary key.", "https://www.postgresql.org/docs/current/logical-replication-publication.html");
        String md = RuleDocs.markdown(Rule.values(), List.of(lint));
        assertTrue(md.contains("| [DW330](#dw330-table-without-primary-key) | `table-without-primary-key` | warning |"), md);
        assertTrue(md.contains("## Lint pack (DW33x and up)"), md);
        int section = md.indexOf("### DW330 table-without-primary-key");
        assertTrue(section > md.indexOf("### DW329 probe-incomplete") && section < md.indexOf("### DW401"), "lint pack sits between probes and policy");
        assertTrue(md.contains("**Fix:** Add a primary key."), md);
        assertFalse(RuleDocs.markdown(Rule.values(), List.of()).contains("## Lint pack"), "no empty lint section");
        // every summary link points at a heading that exists
        for (Rule r : Rule.values()) {
            assertTrue(md.contains("\n### " + r.id() + " " + r.slug() + "\n"), r.id());
            assertTrue(md.contains("](#" + RuleDocs.anchor(r) + ")"), r.id());
        }
        assertEquals("dw101-extra-index", RuleDocs.anchor(Rule.DW101));
    }

    @Test
    void docsRefuseDuplicateIdsAndSlugs() {
        Rule sameSlug = Rule.custom("DW330", "extra-index", Severity.INFO, "t", "", "");
        assertThrows(IllegalArgumentException.class, () -> RuleDocs.markdown(Rule.values(), List.of(sameSlug)));
        Rule sameId = Rule.custom("DW330", "a-rule", Severity.INFO, "t", "", "");
        Rule sameId2 = Rule.custom("DW330", "b-rule", Severity.INFO, "t", "", "");
        assertThrows(IllegalArgumentException.class, () -> RuleDocs.markdown(Rule.values(), List.of(sameId, sameId2)));
    }

    @Test
    void customRulesCarryTheirOwnTexts() {
        Rule r = Rule.custom("ACME001", "no-float-money", Severity.ERROR, "Money stored as float", "d", "f");
        assertEquals("d", r.description());
        assertEquals("f", r.fix());
        assertEquals("", r.see());
        assertEquals("u", Rule.custom("ACME002", "x", Severity.INFO, "t", null, null, "u").see());
    }
}
