package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --with-privileges}, {@code --with-owners} and {@code --role-map} through the CLI on a real
 * PostgreSQL: the migrations grant to one role, the live database to another ("production" name);
 * privileges are ignored by default, reported with {@code --with-privileges}, and reconciled by
 * {@code --role-map}; a malformed map is a one-line usage error (exit 2). Roles are cluster-wide
 * and the test server shared, so they are created only when missing and never dropped.
 */
class AccessFlagsCommandTest {

    static final String READER = "dw_cli_reader";
    static final String PROD_READER = "dw_cli_prod_reader";

    static ShadowDatabase migrated;
    static Path migrations;

    @BeforeAll
    static void migrate(@TempDir Path dir) throws Exception {
        ShadowServer s = TestPostgres.server();
        try (Connection c = s.connect("postgres"); Statement st = c.createStatement()) {
            for (String role : new String[] {READER, PROD_READER}) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '" + role
                        + "') THEN CREATE ROLE " + role + " NOLOGIN; END IF; "
                        + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            }
        }
        migrations = dir.resolve("sql");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__account.sql"),
                "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);\n"
                        + "COMMENT ON TABLE account IS 'customer accounts';\n"
                        + "GRANT SELECT ON account TO " + READER + ";\n", StandardCharsets.UTF_8);
        migrated = TestPostgres.newDatabase();
        Flyway.configure().dataSource(s.jdbcUrl(migrated.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
        // production grants to its own role name
        try (Connection c = s.connect(migrated.name()); Statement st = c.createStatement()) {
            st.execute("REVOKE SELECT ON account FROM " + READER);
            st.execute("GRANT SELECT ON account TO " + PROD_READER);
        }
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    static CliRun audit(Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        String[] base = {"audit", "--url", AuditCommandTest.url(migrated.name()), "--user", s.user(),
                "--password", s.password(), "--migrations", migrations.toString(), "--shadow", "url",
                "--shadow-url", AuditCommandTest.shadowUrl(), "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void privilegesAreOptInAndTheRoleMapReconcilesRoleNames(@TempDir Path out) {
        CliRun plain = audit(out);
        assertEquals(0, plain.exitCode(), "privileges are not compared by default: " + plain.all());
        assertTrue(plain.out().contains("0 findings"), plain.out());

        CliRun with = audit(out, "--with-privileges");
        assertEquals(1, with.exitCode(), with.all());
        assertTrue(with.out().contains("DW165"), "the production grant is extra: " + with.out());
        assertTrue(with.out().contains("privileges on table public.account to " + PROD_READER), with.out());
        assertTrue(with.out().contains("DW166"), "the migrations' grant is missing: " + with.out());
        assertTrue(with.out().contains("privileges on table public.account to " + READER), with.out());

        CliRun mapped = audit(out, "--with-privileges", "--role-map", PROD_READER + "=" + READER);
        assertEquals(0, mapped.exitCode(), mapped.all());
        assertTrue(mapped.out().contains("0 findings"), mapped.out());

        CliRun owners = audit(out, "--with-owners", "--role-map", "nobody=someone," + PROD_READER + "=" + READER,
                "--with-privileges");
        assertEquals(0, owners.exitCode(), "same owner on the target and the shadow: " + owners.all());
    }

    @Test
    void malformedRoleMapIsAUsageError(@TempDir Path out) {
        AuditCommandTest.assertOneLineError(audit(out, "--role-map", "prod_app"), 2, "--role-map: expected FROM=TO");
        AuditCommandTest.assertOneLineError(audit(out, "--role-map", "=app"), 2, "--role-map: expected FROM=TO");
        AuditCommandTest.assertOneLineError(audit(out, "--role-map", "a=b,a=c"), 2, "mapped to both");
        CliRun inspect = CliRun.of("inspect", AuditCommandTest.withCredentials(AuditCommandTest.url(migrated.name())),
                "--role-map", "x=");
        AuditCommandTest.assertOneLineError(inspect, 2, "--role-map: expected FROM=TO");
    }

    @Test
    void inspectReadsPrivilegesUnderMappedNames() {
        String url = AuditCommandTest.withCredentials(AuditCommandTest.url(migrated.name()));
        CliRun plain = CliRun.of("inspect", url, "--no-timestamp");
        assertEquals(0, plain.exitCode(), plain.all());
        assertTrue(plain.out().contains("customer accounts"), "comments are always read: " + plain.out());
        assertFalse(plain.out().contains(PROD_READER), plain.out());

        CliRun with = CliRun.of("inspect", url, "--no-timestamp", "--with-privileges", "--with-owners",
                "--role-map", PROD_READER + "=" + READER);
        assertEquals(0, with.exitCode(), with.all());
        assertTrue(with.out().contains("table public.account to " + READER), with.out());
        assertFalse(with.out().contains(PROD_READER), "mapped: " + with.out());
        assertTrue(with.out().contains("\"owner\""), "owners are read: " + with.out());
    }

    @Test
    void helpDocumentsTheFlags() {
        CliRun help = CliRun.of("audit", "--help");
        assertEquals(0, help.exitCode(), help.all());
        assertTrue(help.out().contains("--with-privileges"), help.out());
        assertTrue(help.out().contains("--with-owners"), help.out());
        assertTrue(help.out().contains("--role-map") && help.out().contains("prod_app=app"), help.out());
    }
}
