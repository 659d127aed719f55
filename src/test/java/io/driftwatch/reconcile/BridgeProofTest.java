package io.driftwatch.reconcile;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Verifier} proves the bytes: a file whose text makes Flyway or psql execute anything but the plan's
 * statements is refused, even though the plan itself converges.
 */
class BridgeProofTest {

    private static SchemaModel model(String ddl) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            CloneTest.execute(c, ddl);
            return new PostgresCatalogReader().read(c, CloneTest.FILTER);
        }
    }

    @Test
    void aFileThatRunsMoreThanThePlanIsRefused() throws Exception {
        SchemaModel from = model("CREATE TABLE public.invoices (id integer PRIMARY KEY);");
        SchemaModel to = model("CREATE TABLE public.invoices (id integer PRIMARY KEY, note text);");
        Plan plan = new Planner().plan(from, to, PlanOptions.defaults());
        assertEquals(1, plan.statements().size());
        Path psql = ScriptProof.findPsql(TestPostgres.server());
        assertNotNull(psql, "psql is installed on every machine the tests run on");
        BridgeWriter.File good = new BridgeWriter().file(plan, "Test", "test", Instant.EPOCH,
                BridgeWriter.Verification.VERIFIED, List.of(), new BridgeWriter.Layout(true, true));
        Verifier.Result ok = new Verifier(io.driftwatch.postgres.PostgresDialect.INSTANCE).verifyFile(TestPostgres.server(), from, to, plan, good, CloneTest.FILTER,
                Map.of(), psql);
        assertTrue(ok.verified(), ok.failure());
        assertFalse(ok.refused());

        // what a comment ended by a CR would do: the header says one thing, the server runs another
        BridgeWriter.Live live = good.live().get(0);
        String text = good.text().replace(live.lead(), live.lead() + "-- x\rCREATE TABLE public.sneaky (a int);\n");
        BridgeWriter.File bad = new BridgeWriter.File(text, good.live(), good.tail());
        Verifier.Result refused = new Verifier(io.driftwatch.postgres.PostgresDialect.INSTANCE).verifyFile(TestPostgres.server(), from, to, plan, bad,
                CloneTest.FILTER, Map.of(), psql);
        assertTrue(refused.refused(), refused.failure());
        assertFalse(refused.verified());
        assertTrue(refused.failure().startsWith("the file is not what was planned: Flyway executed statement 1 as '"),
                refused.failure());

        // a file that is not the plan's bytes (a name changed after rendering) is refused the same way
        BridgeWriter.File renamed = new BridgeWriter.File(good.text().replace("note", "${x}"), good.live(), good.tail());
        Verifier.Result placeholder = new Verifier(io.driftwatch.postgres.PostgresDialect.INSTANCE).verifyFile(TestPostgres.server(), from, to, plan, renamed,
                CloneTest.FILTER, Map.of("x", "note"), psql);
        assertFalse(placeholder.verified());
        assertTrue(placeholder.refused(), placeholder.failure());
    }
}
