package io.driftwatch.reconcile;

import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.reconcile.convergence.Convergence;
import io.driftwatch.reconcile.convergence.ConvergenceCase;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migra-style convergence suite: for every folder under {@code fixtures/convergence/}, plan
 * {@code a.sql} → {@code b.sql}, apply the plan to A, and expect A to equal B (twice, the
 * statements being idempotent), each read with the case's {@link ConvergenceCase#filter()} (an optional
 * {@code read-options} file turns privileges and owners on). Adding a case is adding a folder; see the
 * folder's README.
 * {@code -Ddw.convergence.case=<name>} runs one case.
 */
class ConvergenceTest {

    static List<Named<ConvergenceCase>> cases() {
        List<ConvergenceCase> all = ConvergenceCase.all(ConvergenceCase.ROOT);
        assertTrue(all.size() >= 40, "expected the convergence fixtures, found " + all.size()
                + " under " + ConvergenceCase.ROOT.toAbsolutePath());
        assertTrue(all.stream().anyMatch(ConvergenceCase::identical), "a case with a = b is missing");
        String only = System.getProperty("dw.convergence.case", "");
        return all.stream()
                .filter(c -> only.isBlank() || c.name().equals(only))
                .map(c -> Named.of(c.name(), c))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planConvergesAndIsIdempotent(ConvergenceCase c) throws Exception {
        try (ShadowDatabase dbA = TestPostgres.newDatabase();
             ShadowDatabase dbB = TestPostgres.newDatabase();
             Connection a = dbA.connect();
             Connection b = dbB.connect()) {
            Convergence.load(a, c.a(), c.name() + "/a.sql");
            Convergence.load(b, c.b(), c.name() + "/b.sql");
            if (!c.readOptions().isEmpty() && !c.identical()) {
                // a case that needs privileges or owners must differ only when they are read
                assertFalse(new SchemaDiffer().diff(new PostgresCatalogReader().read(a, c.filter()),
                        new PostgresCatalogReader().read(b, c.filter())).isEmpty(),
                        c.name() + ": a.sql and b.sql read the same with " + c.readOptions());
            }
            Planner planner = new Planner();
            Convergence.check(c.name(), planner::plan, a, b, c.filter(), c.identical(), "");
        }
    }
}
