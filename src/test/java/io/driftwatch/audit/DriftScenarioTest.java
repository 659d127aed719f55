package io.driftwatch.audit;

import io.driftwatch.demo.DriftScenario;
import io.driftwatch.shadow.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-driven acceptance test: for every folder under {@code fixtures/shop/drift/}, migrate a
 * fresh database with Flyway, drift it as {@code drift.sql} says, run the full audit, and expect
 * exactly the findings in {@code expected-findings.txt} (rule id + object). Adding a scenario is
 * adding a folder.
 */
class DriftScenarioTest {

    static List<Named<DriftScenario>> scenarios() throws Exception {
        List<DriftScenario> all = DriftScenario.all(AuditHarness.SHOP);
        assertTrue(all.size() >= 10, "expected the shop drift scenarios, found " + all.size());
        return all.stream().map(s -> Named.of(s.name(), s)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void auditReportsExactlyTheExpectedFindings(DriftScenario scenario, @TempDir Path work) throws Exception {
        Map<String, String> placeholders = AuditHarness.shopPlaceholders();
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario.apply(db, AuditHarness.SHOP.resolve("migrations"), placeholders, work);
            AuditResult result = new Auditor().run(
                    AuditHarness.options(AuditHarness.target(db), migrations, placeholders), AuditListener.QUIET);
            List<String> expected = scenario.expectedFindings().stream().sorted().toList();
            assertEquals(expected, AuditHarness.lines(result), scenario.name() + ": " + scenario.description());
            assertEquals(!expected.isEmpty() && result.findings().stream()
                            .anyMatch(f -> f.severity().atLeast(io.driftwatch.policy.Severity.WARNING)),
                    result.failed(), "exit status follows --fail-on warning");
        }
    }
}
