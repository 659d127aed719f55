package io.driftwatch.audit;

import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Auditor} on a real PostgreSQL: history edge cases and a least-privilege auditor role.
 */
class AuditorTest {

    private static Path project(Path dir) throws Exception {
        Path sql = Files.createDirectories(dir.resolve("sql"));
        Files.writeString(sql.resolve("V1__account.sql"), "CREATE TABLE account (id bigint PRIMARY KEY, email text);\n");
        Files.writeString(sql.resolve("V2__account_email.sql"), "CREATE UNIQUE INDEX account_email ON account (lower(email));\n");
        Files.writeString(sql.resolve("R__account_view.sql"), "CREATE OR REPLACE VIEW account_emails AS SELECT email FROM account;\n");
        return sql;
    }

    private static void migrate(ShadowDatabase db, Path sql) {
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + sql).load().migrate();
    }

    private static void exec(ShadowDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void garbageHistoryRowsAreFindingsNotCrashes(@TempDir Path dir) throws Exception {
        Path sql = project(dir);
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, sql);
            exec(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, execution_time, success) VALUES"
                    + " (50, 'not-a-version', 'junk', 'SQL', 'V?__junk.sql', 1, 'dba', 0, true),"
                    + " (51, '3', 'no checksum', 'SQL', 'V3__gone.sql', NULL, 'dba', 0, true)");
            AuditResult r = new Auditor().run(AuditHarness.options(AuditHarness.target(db), sql, Map.of()),
                    AuditListener.QUIET);
            // a row with no usable version is named by its rank; one with a version by the version. The NULL
            // checksum still counts as applied (as Flyway counts it), so V3 is also newer than any script
            assertEquals(List.of("DW207 V3", "DW211 V3", "DW211 rank 50"), AuditHarness.lines(r));
            assertTrue(r.failed());
            // Flyway fails on the whole table for the malformed version: the schema is not compared
            assertTrue(r.expected().shadow().startsWith("none (schema not compared: version table row installed_rank"
                    + " 50, column version: 'not-a-version' is not a Flyway version"), r.expected().shadow());
        }
    }

    @Test
    void auditorRoleWithOnlyConnectAndUsageStillAuditsTheSchema(@TempDir Path dir) throws Exception {
        Path sql = project(dir);
        ShadowServer s = TestPostgres.server();
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, sql);
            exec(db, "CREATE INDEX account_hand ON account (id, email)");
            String role = "auditor_" + db.name().substring(db.name().length() - 6);
            exec(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'aud1tor'; "
                    + "REVOKE ALL ON DATABASE " + db.name() + " FROM PUBLIC; "
                    + "GRANT CONNECT ON DATABASE " + db.name() + " TO " + role + "; "
                    + "REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO " + role);
            try {
                ConnectionSpec target = ConnectionSpec.parse(s.jdbcUrl(db.name()), role, "aud1tor", Map.of());
                AuditResult r = new Auditor().run(AuditHarness.options(target, sql, Map.of()), AuditListener.QUIET);
                // the version table needs SELECT, which this role lacks: every script is replayed instead
                assertEquals(List.of("DW101 public.account.account_hand", "DW212 public.flyway_schema_history"),
                        AuditHarness.lines(r));
                Finding unreadable = r.findings().stream().filter(f -> f.rule() == Rule.DW212).findFirst().orElseThrow();
                assertTrue(unreadable.message().contains("GRANT SELECT ON public.flyway_schema_history TO " + role),
                        unreadable.message());
            } finally {
                exec(db, "DROP OWNED BY " + role + "; DROP ROLE " + role);
            }
        }
    }

    @Test
    void pendingMigrationsAreNotDrift(@TempDir Path dir) throws Exception {
        Path sql = project(dir);
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            ShadowServer s = TestPostgres.server();
            Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                    .locations("filesystem:" + sql).target("1").load().migrate();
            AuditResult r = new Auditor().run(AuditHarness.options(AuditHarness.target(db), sql, Map.of()),
                    AuditListener.QUIET);
            // V2 is pending, so its index is not expected (no DW102); Flyway applies repeatables whatever
            // the target, so V1 and R__account_view are the two scripts replayed
            assertEquals(List.of("DW203 V2"), AuditHarness.lines(r));
            assertEquals(false, r.failed(), "pending is info: below --fail-on warning");
            assertEquals(2, r.expected().scriptsReplayed());
        }
    }
}
