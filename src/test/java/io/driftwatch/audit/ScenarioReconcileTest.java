package io.driftwatch.audit;

import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.demo.DriftScenario;
import io.driftwatch.policy.Classifier;
import io.driftwatch.plan.Plan;
import io.driftwatch.reconcile.PlanExecutor;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.reconcile.Verifier;
import io.driftwatch.flyway.stamp.StampOutcome;
import io.driftwatch.flyway.stamp.StampRequest;
import io.driftwatch.flyway.stamp.Stamper;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.flyway.stamp.StampOutcome;
import io.driftwatch.flyway.stamp.StampRefusedException;
import io.driftwatch.flyway.stamp.StampRequest;
import io.driftwatch.flyway.stamp.Stamper;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every drift scenario (of the shop and the full-coverage catalog project) is reconciled by a generated bridge: plan actual → expected, prove it in a
 * shadow ({@link Verifier}), apply it to the drifted database itself (after the scenario's
 * {@code before-bridge.sql} data fix, if any: verification proves the schema, not the data), and
 * re-audit: no schema finding (DW1xx) remains. Then, where history findings still fail the audit,
 * a verified stamp ({@link Stamper}, forgetting missing scripts) is applied and the audit is clean
 * but for pending migrations (to be deployed) and future ones (Flyway leaves those alone too).
 * A scenario with {@code bridge-fails.txt} is drift no bridge can undo (an extension updated past
 * any downgrade path): verification must refuse the bridge with the reason the file holds. A scenario
 * whose version table rows leave what is applied unknown (the schema is not compared) must have the
 * stamp refused; findings listed in {@code reconcile-leaves.txt} (rows bridge and stamp do not correct)
 * may remain at the end.
 */
class ScenarioReconcileTest {

    static List<Arguments> scenarios() throws Exception {
        List<Arguments> out = new java.util.ArrayList<>();
        for (Path project : List.of(AuditHarness.SHOP, AuditHarness.CATALOG)) {
            for (DriftScenario s : DriftScenario.all(project)) {
                out.add(Arguments.of(Named.of(project.getFileName() + "/" + s.name(), s), project));
            }
        }
        return out;
    }

    /** Schema drift a bridge can fix: DW1xx except DW178 (objects not modelled, which stay reported). */
    private static boolean bridgeable(io.driftwatch.policy.Finding f) {
        return Classifier.isDrift(f) && f.rule() != io.driftwatch.policy.Rule.DW178;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void bridgeBringsTheSchemaBackToTheMigrations(DriftScenario scenario, Path project, @TempDir Path work) throws Exception {
        Map<String, String> placeholders = AuditHarness.placeholders(project);
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario.apply(db, project.resolve("migrations"), placeholders, work);
            AuditOptions options = AuditHarness.options(project, AuditHarness.target(db), migrations, placeholders);
            AuditRun before = new Auditor().runFull(options, AuditListener.QUIET);
            if (!before.schemaCompared()) {
                // rows Flyway cannot read: nothing may be planned from a guess; the stamp refuses, naming them
                StampRefusedException refused = assertThrows(StampRefusedException.class, () -> new Stamper()
                        .stamp(options, new StampRequest(null, true, null, true), AuditListener.QUIET));
                assertTrue(refused.getMessage().startsWith("no stamp: version table row installed_rank "),
                        refused.getMessage());
                return;
            }
            Path leavesFile = scenario.dir().resolve("reconcile-leaves.txt");
            List<String> leaves = !Files.exists(leavesFile) ? List.of() : Files.readAllLines(leavesFile).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
            List<String> historyBefore = before.result().findings().stream().filter(f -> !bridgeable(f))
                    .map(AuditHarness::line).sorted().toList();

            Plan plan = new Planner().plan(before.actual(), before.expected(), new PlanOptions(true, true));
            boolean drifted = before.result().findings().stream().anyMatch(ScenarioReconcileTest::bridgeable);
            assertEquals(drifted, !plan.isEmpty(), "a plan exactly when there is schema drift");

            Verifier.Result verified = new Verifier(PostgresDialect.INSTANCE).verify(TestPostgres.server(), before.actual(),
                    before.expected(), plan, before.filter());
            Path cannotBridge = scenario.dir().resolve("bridge-fails.txt");
            if (Files.exists(cannotBridge)) {
                // drift no bridge can undo: verification must refuse it, with the server's reason
                String reason = Files.readString(cannotBridge).strip();
                assertFalse(verified.verified(), scenario.name() + ": expected the bridge to fail verification");
                assertTrue(verified.failure().contains(reason), scenario.name() + ": " + verified.failure());
                return;
            }
            assertTrue(verified.verified(), scenario.name() + ": " + verified.failure());

            try (Connection c = db.connect()) {
                Path dataFix = scenario.dir().resolve("before-bridge.sql");
                if (Files.exists(dataFix)) {
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute(Files.readString(dataFix));
                    }
                }
                PlanExecutor.apply(c, plan, true);
            }
            AuditResult after = new Auditor().run(options, AuditListener.QUIET);
            assertEquals(historyBefore, AuditHarness.lines(after),
                    scenario.name() + ": only history (and not-audited) findings may remain after the bridge");

            // then the stamp makes the history true (forgetting scripts that are gone for good)
            if (after.failed()) {
                StampOutcome stamp = new Stamper().stamp(options,
                        new StampRequest(null, true, null, true), AuditListener.QUIET);
                if (!stamp.plan().actions().isEmpty()) {
                    assertTrue(stamp.verification() != null && stamp.verification().verified(),
                            scenario.name() + ": stamp not verified: " + stamp.verification());
                    try (Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
                        st.execute(stamp.plan().sql());
                    }
                }
            }
            AuditResult reconciled = new Auditor().run(options, AuditListener.QUIET);
            List<String> left = AuditHarness.lines(reconciled).stream()
                    .filter(l -> !l.startsWith("DW203 ") && !l.startsWith("DW207 ") && !l.startsWith("DW178 ")).toList();
            assertEquals(leaves, left, scenario.name() + ": bridge and stamp leave nothing but pending (DW203) and"
                    + " future (DW207) migrations, and what reconcile-leaves.txt lists");
        }
    }
}
