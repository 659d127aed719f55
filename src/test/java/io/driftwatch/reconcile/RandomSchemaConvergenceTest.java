package io.driftwatch.reconcile;

import io.driftwatch.plan.Statement;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.reconcile.convergence.Convergence;
import io.driftwatch.reconcile.convergence.RandomSchemaSeeds;
import io.driftwatch.reconcile.convergence.RandomSchemas;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Property test of the planner: for seeded random schema pairs ({@link RandomSchemas}), the plan
 * from A to B applied to A converges to B, twice. Every pair is one dynamic test named by its
 * seed; rerun one with {@code -Ddw.random.seed=<seed> -Ddw.random.iterations=1}. All pairs share
 * two databases: the schema {@code rnd} is dropped and re-created between pairs, and only it is
 * read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomSchemaConvergenceTest {

    private static final String SCHEMA = "rnd";
    private static final SchemaFilter FILTER = new SchemaFilter(List.of(SCHEMA), List.of(), null, null);

    private ShadowDatabase dbA;
    private ShadowDatabase dbB;
    private Connection a;
    private Connection b;

    @BeforeAll
    void databases() throws SQLException {
        dbA = TestPostgres.newDatabase();
        dbB = TestPostgres.newDatabase();
        a = dbA.connect();
        b = dbB.connect();
    }

    @AfterAll
    void close() throws SQLException {
        try (ShadowDatabase x = dbA; ShadowDatabase y = dbB; Connection ca = a; Connection cb = b) {
            // closed in reverse order: connections first, then the databases are dropped
        }
    }

    @TestFactory
    Stream<DynamicTest> randomPairsConverge() {
        int iterations = Integer.getInteger("dw.random.iterations", 250);
        long base = Long.getLong("dw.random.seed", RandomSchemaSeeds.BASE);
        Planner planner = new Planner();
        return LongStream.range(base, base + iterations).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            RandomSchemas.Pair pair = RandomSchemas.generate(seed, SCHEMA);
            reset(a);
            reset(b);
            Convergence.load(a, pair.a(), "a.sql of seed " + seed + pair.describe());
            Convergence.load(b, pair.b(), "b.sql of seed " + seed + pair.describe());
            Convergence.check("seed " + seed, planner::plan, a, b, FILTER, pair.a().equals(pair.b()), pair.describe());
        }));
    }

    private static void reset(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE; CREATE SCHEMA " + SCHEMA);
        }
    }
}
