package io.driftwatch.audit;

import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.demo.DriftScenario;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-driven acceptance test: for every folder under {@code fixtures/shop/drift/} and
 * {@code fixtures/catalog/drift/} (every object kind, compared with privileges and owners), migrate a
 * fresh database with Flyway, drift it as {@code drift.sql} says, run the full audit, and expect
 * exactly the findings in {@code expected-findings.txt} (rule id + object), and for each line of an
 * optional {@code messages.txt} ({@code <rule id> <text>}) a finding of that rule whose message contains
 * the text. Adding a scenario is adding a folder.
 */
class DriftScenarioTest {

    static List<Arguments> scenarios() throws Exception {
        List<Arguments> out = new java.util.ArrayList<>();
        for (Path project : List.of(AuditHarness.SHOP, AuditHarness.CATALOG)) {
            List<DriftScenario> all = DriftScenario.all(project);
            assertTrue(all.size() >= 1, "expected drift scenarios in " + project + ", found " + all.size());
            for (DriftScenario s : all) {
                out.add(Arguments.of(Named.of(project.getFileName() + "/" + s.name(), s), project));
            }
        }
        assertTrue(out.size() >= 20, "expected the shop and catalog scenarios, found " + out.size());
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void auditReportsExactlyTheExpectedFindings(DriftScenario scenario, Path project, @TempDir Path work) throws Exception {
        Map<String, String> placeholders = AuditHarness.placeholders(project);
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario.apply(db, project.resolve("migrations"), placeholders, work);
            AuditResult result = new Auditor().run(
                    AuditHarness.options(project, AuditHarness.target(db), migrations, placeholders), AuditListener.QUIET);
            List<String> expected = scenario.expectedFindings().stream().sorted().toList();
            assertEquals(expected, AuditHarness.lines(result), scenario.name() + ": " + scenario.description());
            Path messages = scenario.dir().resolve("messages.txt");
            if (Files.exists(messages)) {
                for (String line : Files.readAllLines(messages, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String rule = line.substring(0, line.indexOf(' '));
                    String text = line.substring(line.indexOf(' ') + 1);
                    assertTrue(result.findings().stream().anyMatch(f -> f.rule().id().equals(rule)
                                    && f.message().contains(text)),
                            scenario.name() + ": no " + rule + " finding says '" + text + "': " + result.findings());
                }
            }
            assertEquals(!expected.isEmpty() && result.findings().stream()
                            .anyMatch(f -> f.severity().atLeast(io.driftwatch.policy.Severity.WARNING)),
                    result.failed(), "exit status follows --fail-on warning");
        }
    }
}
