package io.driftwatch.reconcile.convergence;

import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator behind {@code RandomSchemaConvergenceTest} on its own: deterministic per seed, and
 * both scripts of every pair load on PostgreSQL (so a failing property run is the planner's fault,
 * never an invalid input).
 */
class RandomSchemasTest {

    @Test
    void sameSeedSamePair() {
        assertEquals(RandomSchemas.generate(42, "rnd"), RandomSchemas.generate(42, "rnd"));
        assertTrue(!RandomSchemas.generate(42, "rnd").equals(RandomSchemas.generate(43, "rnd")));
    }

    @Test
    void everyGeneratedScriptLoadsAndMostPairsDiffer() throws Exception {
        int pairs = Integer.getInteger("dw.random.iterations", 300);
        long base = Long.getLong("dw.random.seed", RandomSchemaSeeds.BASE);
        int differing = 0;
        PostgresCatalogReader reader = new PostgresCatalogReader();
        SchemaFilter filter = new SchemaFilter(List.of("rnd"), List.of(), null, null);
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            for (int i = 0; i < pairs; i++) {
                RandomSchemas.Pair p = RandomSchemas.generate(base + i, "rnd");
                reset(c);
                Convergence.load(c, p.a(), "a of seed " + p.seed() + p.describe());
                var a = reader.read(c, filter);
                reset(c);
                Convergence.load(c, p.b(), "b of seed " + p.seed() + p.describe());
                var b = reader.read(c, filter);
                if (!new SchemaDiffer().diff(a, b).isEmpty()) {
                    differing++;
                }
            }
        }
        assertTrue(differing >= pairs * 8 / 10, differing + " of " + pairs + " pairs differ");
    }

    private static void reset(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS rnd CASCADE; CREATE SCHEMA rnd");
        }
    }
}
