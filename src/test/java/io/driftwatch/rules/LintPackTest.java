package io.driftwatch.rules;

import io.driftwatch.testsupport.Audits;
import io.driftwatch.base.AuditListener;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.audit.Auditor;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lint pack on real schemas: each folder {@code fixtures/sql-rules/lint/<rule>/} holds migrations
 * with positive and negative cases for that rule, and {@code expected.txt} lists exactly the lint
 * findings (every lint rule runs on every case, so the other rules' silence is checked too).
 * Also: the pack's index lists every file in {@code rules/lint/}, and each rule cites a source.
 */
class LintPackTest {

    static final Path PROJECT_DIR = Path.of(System.getProperty("driftwatch.projectDir", "."));
    static final Path CASES = PROJECT_DIR.resolve("fixtures/sql-rules/lint");

    static Stream<Path> cases() throws Exception {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    /** @return findings as {@code <rule> <severity> <kind> <object> | <message>}, in report order */
    static List<String> lines(List<Finding> findings) {
        return findings.stream().map(f -> f.rule().id() + " " + f.severity().label() + " "
                + RuleTables.kindWord(f.object().kind()) + " " + f.object().qualifiedName() + " | " + f.message()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lintRuleFindsExactlyItsPositiveCases(Path dir) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            ShadowServer s = TestPostgres.server();
            Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                    .locations("filesystem:" + dir).load().migrate();
            ConnectionSpec target = ConnectionSpec.parse(s.jdbcUrl(db.name()), s.user(), s.password(), Map.of());
            ConnectionSpec shadow = ConnectionSpec.parse(s.jdbcUrl("postgres"), s.user(), s.password(), Map.of());
            AuditOptions options = Audits.flyway(target, List.of(dir), Map.of(),
                    new ShadowOptions(ShadowKind.URL, shadow, null, null),
                    Severity.WARNING, Duration.ofSeconds(5), Duration.ofSeconds(60));
            AuditRun run = new Auditor().runFull(options, AuditListener.QUIET);
            assertEquals(List.of(), run.result().findings(), "the case has no drift");
            SqlRuleSet.Outcome o = SqlRuleSet.load(List.of(), true).evaluate(run, run.result());
            List<String> expected = Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertEquals(expected, lines(o.result().findings()), dir.getFileName().toString());
            String rule = dir.getFileName().toString().substring(0, 5);
            assertTrue(expected.stream().anyMatch(l -> l.startsWith(rule + " ")), "a positive case of " + rule);
        }
    }

    @Test
    void theIndexListsEveryLintFileAndEachCitesItsSource() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(PROJECT_DIR.resolve("rules/lint"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        List<SqlRule> pack = SqlRuleSet.lintPack();
        assertEquals(files, pack.stream().map(r -> r.source().substring(SqlRuleSet.LINT_DIR.length())).sorted().toList());
        assertEquals(8, pack.size());
        for (SqlRule r : pack) {
            assertTrue(r.source().contains(r.rule().id() + "-" + r.rule().slug()), r.source());
            assertFalse(r.see().isEmpty(), r.rule().id() + " cites no source");
            assertTrue(r.see().stream().allMatch(u -> u.startsWith("https://")), r.see().toString());
            assertFalse(r.rule().description().isBlank(), r.rule().id());
            assertFalse(r.rule().fix().isBlank(), r.rule().id());
            assertTrue(r.sql().contains("'expected'"), r.rule().id() + " lints the migrations' schema");
            assertTrue(Files.isDirectory(CASES.resolve(r.rule().id() + "-" + r.rule().slug())),
                    "a fixture case for " + r.rule().id());
        }
    }
}
