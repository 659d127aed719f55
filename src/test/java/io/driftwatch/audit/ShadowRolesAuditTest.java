package io.driftwatch.audit;

import io.driftwatch.testsupport.Audits;
import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migrations that GRANT to a role and give an object to one replay into a shadow server Driftwatch
 * starts itself ({@code --shadow local}): the target's roles are created there first (NOLOGIN), and
 * with privileges and owners compared the audit is clean. The roles live on the shared test server
 * (created only when missing, never dropped).
 */
class ShadowRolesAuditTest {

    @Test
    void grantsAndOwnersReplayIntoALocalShadow(@TempDir Path dir) throws Exception {
        ShadowServer server = TestPostgres.server();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            for (String role : new String[] {"dw_sr_grantee", "dw_sr_owner"}) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '" + role
                        + "') THEN CREATE ROLE " + role + " NOLOGIN; END IF; "
                        + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            }
        }
        Path sql = Files.createDirectories(dir.resolve("sql"));
        Files.writeString(sql.resolve("V1__t.sql"), "CREATE TABLE t (id integer);\n"
                + "GRANT SELECT ON t TO dw_sr_grantee;\n"
                + "ALTER TABLE t OWNER TO dw_sr_owner;\n");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Flyway.configure().dataSource(server.jdbcUrl(db.name()), server.user(), server.password())
                    .locations("filesystem:" + sql).load().migrate();
            ConnectionSpec target = AuditHarness.target(db);
            AuditOptions options = Audits.flyway(target, List.of(sql), Map.of(), ShadowOptions.of(ShadowKind.LOCAL, null),
                    Severity.WARNING, Duration.ofSeconds(5), Duration.ofSeconds(60))
                    .withAccess(true, true, Map.of());
            AuditResult r = new Auditor().run(options, AuditListener.QUIET);
            assertEquals(List.of(), AuditHarness.lines(r), "the replay into a fresh local server needs the roles");
        }
    }
}
