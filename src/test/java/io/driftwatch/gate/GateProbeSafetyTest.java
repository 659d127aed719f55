package io.driftwatch.gate;

import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole gate run whose pending migration's CHECKs would do harm if evaluated on production: one
 * terminates a canary session through a hand-made function, one takes session advisory lock 424242.
 * Watched from other sessions while the gate runs, nothing of it may happen, and the findings say
 * the probes were not run.
 */
class GateProbeSafetyTest {

    @TempDir
    Path tmp;

    @Test
    void pendingExpressionsWithSideEffectsNeverRunOnProduction() throws Exception {
        Path caseDir = tmp.resolve("harmful-checks");
        Files.createDirectories(caseDir.resolve("pending"));
        Files.writeString(caseDir.resolve("pending/V10__harmful_checks.sql"),
                "ALTER TABLE orders ADD CONSTRAINT orders_canary CHECK (public.kill_canary());\n"
                        + "ALTER TABLE orders ADD CONSTRAINT orders_lock CHECK (pg_advisory_lock(424242) IS NOT NULL);\n");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            GateScenarioTest.migrate(db, GateScenarioTest.GATE.resolve("base"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO customers (email) VALUES ('a@example.com');"
                        + " INSERT INTO orders (customer_id) VALUES (1), (1);"
                        + " CREATE FUNCTION public.kill_canary() RETURNS boolean LANGUAGE sql AS"
                        + " $$ SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity"
                        + " WHERE application_name = 'dw-canary' $$");
            }
            Properties canaryProps = new Properties();
            canaryProps.setProperty("user", db.server().user());
            canaryProps.setProperty("password", db.server().password());
            canaryProps.setProperty("ApplicationName", "dw-canary");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong lockSightings = new AtomicLong();
            AtomicLong polls = new AtomicLong();
            try (Connection canary = DriverManager.getConnection(db.jdbcUrl(), canaryProps);
                 Connection watcher = db.connect()) {
                Thread watch = new Thread(() -> {
                    try (Statement s = watcher.createStatement()) {
                        while (running.get()) {
                            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                    + " AND objid = 424242")) {
                                rs.next();
                                lockSightings.addAndGet(rs.getLong(1));
                            }
                            polls.incrementAndGet();
                            Thread.sleep(2);
                        }
                    } catch (Exception e) {
                        lockSightings.set(-1_000_000);
                    }
                }, "advisory-lock-watcher");
                watch.start();
                AuditResult result;
                try {
                    result = new Gate().run(GateScenarioTest.options(db, caseDir), GateScenarioTest.gateOptions(),
                            AuditListener.QUIET).result();
                } finally {
                    running.set(false);
                    watch.join();
                }

                assertTrue(canary.isValid(2), "the canary session was terminated: the gate ran the pending CHECK");
                assertTrue(polls.get() > 10, "the watcher polled " + polls.get() + " times");
                assertEquals(0, lockSightings.get(), "advisory lock 424242 was seen on production during the gate");
                List<Finding> notProbed = result.findings().stream().filter(f -> f.rule() == Rule.DW327).toList();
                assertEquals(List.of("orders_canary", "orders_lock"),
                        notProbed.stream().map(f -> f.object().name()).sorted().toList(), result.findings()::toString);
                assertTrue(notProbed.stream().allMatch(f -> f.severity() == Severity.ERROR));
                assertTrue(notProbed.stream().anyMatch(f -> f.message().contains(
                        "the expression calls public.kill_canary(), which is not an immutable built-in function")));
                assertTrue(result.failed(), "a gate that could not look does not pass");
            }
        }
    }
}
