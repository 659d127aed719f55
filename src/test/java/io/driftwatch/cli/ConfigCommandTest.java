package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch.yaml} through the CLI: invalid files fail with file, line and key (exit 2, one
 * line); the file supplies defaults and flags override it; severity overrides change the exit code of
 * audit and gate; configuration and inline waivers (set in the live database or by a migration) hide
 * findings from {@code --fail-on} while the reports still list them; expired, unused and invalid
 * waivers are reported. Real PostgreSQL.
 */
class ConfigCommandTest {

    static final String V1 = "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);\n";
    static final String V2 = "CREATE INDEX account_email_idx ON account (lower(email));\n";
    static final String V3 = "COMMENT ON TABLE account IS "
            + "'Accounts.\ndriftwatch:ignore DW107 hotfix columns are kept until the rewrite (INC-42)';\n";
    static final String HAND_INDEX = "CREATE INDEX account_id_hand ON account (id, email)";
    static final String PASSWORD_IN_FIXTURES = "s3cret-pw";

    /** A project folder: {@code sql/} with the migrations, {@code driftwatch.yaml} beside it. */
    record Project(Path dir, ShadowDatabase db) implements AutoCloseable {
        Path config() {
            return dir.resolve("driftwatch.yaml");
        }

        void write(String yaml) throws IOException {
            Files.writeString(config(), yaml, StandardCharsets.UTF_8);
        }

        void sql(String statement) throws Exception {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute(statement);
            }
        }

        /** The file's connection part: everything but the password and the shadow URL (which holds one). */
        String base() {
            ShadowServer s = TestPostgres.server();
            return "url: " + s.jdbcUrl(db.name()) + "\nuser: " + s.user() + "\nmigrations: [sql]\nshadow: url\n";
        }

        CliRun run(String command, String... extra) {
            ShadowServer s = TestPostgres.server();
            List<String> args = new ArrayList<>(List.of(command, "--password", s.password(),
                    "--shadow-url", AuditCommandTest.shadowUrl(), "--out", dir.resolve("out").toString(), "--no-color"));
            if (Files.exists(config())) {
                args.addAll(List.of("--config", config().toString()));
            }
            args.addAll(Arrays.asList(extra));
            return CliRun.of(args.toArray(String[]::new));
        }

        JsonNode report() throws IOException {
            return new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
        }

        @Override
        public void close() {
            db.close();
        }
    }

    static Project project(Path dir, String... migrations) throws Exception {
        Path sql = dir.resolve("sql");
        Files.createDirectories(sql);
        for (int i = 0; i < migrations.length; i++) {
            Files.writeString(sql.resolve("V" + (i + 1) + "__step.sql"), migrations[i], StandardCharsets.UTF_8);
        }
        ShadowDatabase db = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + sql).load().migrate();
        return new Project(dir, db);
    }

    static Stream<Path> invalidConfigs() throws IOException, URISyntaxException {
        Path dir = Path.of(ConfigCommandTest.class.getResource("/config/invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidConfigurationFailsWithFileLineAndKey(Path file) throws Exception {
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith("# expect: "), file + " must start with '# expect: <message>'");
        String expected = "driftwatch: " + first.substring("# expect: ".length()).replace("FILE", file.toString());
        for (String command : new String[] {"audit", "gate"}) {
            CliRun r = CliRun.of(command, "--config", file.toString());
            assertEquals(2, r.exitCode(), r.all());
            assertEquals("", r.out());
            String[] lines = r.err().strip().split("\n");
            assertEquals(1, lines.length, "one line: " + r.err());
            assertTrue(lines[0].startsWith(expected), "expected\n  " + expected + "\nbut got\n  " + lines[0]);
            assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
            assertFalse(r.all().contains(PASSWORD_IN_FIXTURES), "password leaked: " + r.all());
        }
    }

    @Test
    void helpNeverReadsTheFileAndEveryCommandButDemoTakesConfig() throws Exception {
        Path bad = Path.of(ConfigCommandTest.class.getResource("/config/invalid/unknown-key.yaml").toURI());
        CliRun help = CliRun.of("audit", "--config", bad.toString(), "--help");
        assertEquals(0, help.exitCode(), help.all());
        assertTrue(help.out().contains("--config=FILE"), help.out());
        assertTrue(help.out().contains("driftwatch audit --config ci/driftwatch.yaml"), help.out());
        assertTrue(CliRun.of("gate", "--help").out().contains("driftwatch gate --config ci/driftwatch.yaml"));
        for (String command : new String[] {"bridge", "stamp", "diff", "inspect"}) {
            CliRun r = CliRun.of("help", command);
            assertTrue(r.out().contains("--config=FILE") && r.out().contains("--no-config"), command + ": " + r.out());
        }
        assertFalse(CliRun.of("help", "demo").out().contains("--config"));
        CliRun both = CliRun.of("audit", "--config", bad.toString(), "--no-config");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--config and --no-config exclude each other"), both.err());
        CliRun missing = CliRun.of("audit", "--config", "/nonexistent/driftwatch.yaml");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--config /nonexistent/driftwatch.yaml: no such file"), missing.err());
    }

    @Test
    void theFileSuppliesDefaultsAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql(HAND_INDEX);
            p.write(p.base() + "fail-on: never\nformat: [json, junit]\n");
            CliRun lenient = p.run("audit");
            assertEquals(0, lenient.exitCode(), "fail-on never from the file: " + lenient.all());
            assertTrue(lenient.out().contains("DW101"), lenient.out());
            assertTrue(Files.exists(dir.resolve("out/report.junit.xml")), "format from the file");
            assertFalse(Files.exists(dir.resolve("out/report.html")), "format from the file replaces the default");
            CliRun strict = p.run("audit", "--fail-on", "warning");
            assertEquals(1, strict.exitCode(), "the flag overrides the file: " + strict.all());
            CliRun section = p.run("audit");
            assertEquals(0, section.exitCode());
            p.write(p.base() + "fail-on: never\naudit:\n  fail-on: warning\n");
            assertEquals(1, p.run("audit").exitCode(), "the command's section overrides the top level");
        }
    }

    @Test
    void severityOverridesChangeTheExitCodeOfAuditAndGate(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql(HAND_INDEX);
            p.write(p.base() + "fail-on: warning\n");
            assertEquals(1, p.run("audit").exitCode(), "DW101 is a warning by default");
            p.write(p.base() + "fail-on: warning\nseverity:\n  extra-index: info\n");
            CliRun info = p.run("audit");
            assertEquals(0, info.exitCode(), info.all());
            assertTrue(info.out().contains("info    DW101 extra-index"), info.out());
            p.write(p.base() + "severity:\n  DW101: off\n");
            CliRun off = p.run("audit");
            assertEquals(0, off.exitCode(), off.all());
            assertFalse(off.out().contains("DW101"), "off drops the finding: " + off.out());
            assertTrue(off.out().contains("0 findings"), off.out());

            p.write(p.base());
            assertEquals(0, p.run("gate").exitCode(), "the gate fails on errors only; DW101 is a warning");
            p.write(p.base() + "severity:\n  DW101: error\n");
            CliRun gate = p.run("gate");
            assertEquals(1, gate.exitCode(), gate.all());
            assertTrue(gate.out().contains("error   DW101 extra-index"), gate.out());
        }
    }

    @Test
    void aWaiverHidesTheFindingFromFailOnAndTheReportsListItWaived(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql(HAND_INDEX);
            p.write(p.base() + "fail-on: warning\nformat: json,sarif,junit,text\nwaivers:\n"
                    + "  - rule: extra-index\n    object: \"public.account.account_*_hand\"\n"
                    + "    reason: BI team report index (JIRA-7)\n    expires: 2999-12-31\n");
            CliRun r = p.run("audit");
            assertEquals(0, r.exitCode(), r.all());
            String origin = p.config() + ":8";
            assertTrue(r.out().contains("[waived: BI team report index (JIRA-7) (" + origin + ", until 2999-12-31)]"),
                    r.out());
            assertTrue(r.out().contains("1 finding: 0 errors, 0 warnings, 0 info, 1 waived"), r.out());
            assertTrue(r.out().contains("status: clean, passed at --fail-on warning"), r.out());

            JsonNode json = p.report();
            assertEquals(1, json.path("summary").path("waived").asInt());
            assertEquals(0, json.path("summary").path("warning").asInt());
            JsonNode waiver = json.path("findings").get(0).path("waiver");
            assertEquals("BI team report index (JIRA-7)", waiver.path("reason").asText());
            assertEquals("2999-12-31", waiver.path("expires").asText());
            assertEquals(origin, waiver.path("origin").asText());
            assertFalse(waiver.path("inline").asBoolean());
            JsonNode sarif = new ObjectMapper().readTree(dir.resolve("out/report.sarif").toFile());
            JsonNode suppression = sarif.path("runs").get(0).path("results").get(0).path("suppressions").get(0);
            assertEquals("external", suppression.path("kind").asText());
            assertEquals("BI team report index (JIRA-7)", suppression.path("justification").asText());
            String junit = Files.readString(dir.resolve("out/report.junit.xml"));
            assertTrue(junit.contains("<skipped message=\"waived: BI team report index (JIRA-7)"), junit);
            assertFalse(junit.contains("<failure"), junit);
            assertTrue(Files.readString(dir.resolve("out/report.txt")).contains("[waived: BI team report index"));
        }
    }

    @Test
    void anExpiredWaiverIsReportedAndItsFindingFailsTheRunAgain(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql(HAND_INDEX);
            p.write(p.base() + "waivers:\n  - rule: DW101\n    object: public.account.account_id_hand\n"
                    + "    reason: temporary\n    expires: 2020-01-31\n");
            CliRun r = p.run("audit");
            assertEquals(1, r.exitCode(), r.all());
            assertTrue(r.out().contains("DW401 expired-waiver"), r.out());
            assertTrue(r.out().contains("waiver " + p.config() + ":6 (DW101 on public.account.account_id_hand) expired on "
                    + "2020-01-31: it no longer hides 1 finding"), r.out());
            assertFalse(r.out().contains("[waived:"), r.out());
            assertEquals(0, p.report().path("summary").path("waived").asInt());
        }
    }

    @Test
    void aWaiverThatMatchesNothingIsReportedAsUnused(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.write(p.base() + "waivers:\n  - rule: DW107\n    object: public.account.hotfix\n    reason: hotfix\n");
            CliRun r = p.run("audit");
            assertEquals(0, r.exitCode(), "DW402 is info: " + r.all());
            assertTrue(r.out().contains("info    DW402 unused-waiver"), r.out());
            assertTrue(r.out().contains(p.config() + ":6 (DW107 on public.account.hotfix) matches no finding"), r.out());
        }
    }

    @Test
    void anInlineCommentInTheDatabaseWaivesTheHandMadeIndex(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql(HAND_INDEX);
            p.sql("COMMENT ON INDEX account_id_hand IS 'driftwatch:ignore DW101 added by DBA for reporting'");
            CliRun r = p.run("audit", "--no-config", "--url", TestPostgres.server().jdbcUrl(p.db().name()),
                    "--user", TestPostgres.server().user(), "-m", dir.resolve("sql").toString(), "--shadow", "url",
                    "--format", "json,sarif");
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.out().contains("[waived: added by DBA for reporting (comment on index "
                    + "public.account.account_id_hand in the database)]"), r.out());
            assertFalse(r.out().contains("DW162"), "the waiver comment itself is no finding: " + r.out());
            JsonNode f = p.report().path("findings").get(0);
            assertEquals("DW101", f.path("ruleId").asText());
            assertTrue(f.path("waiver").path("inline").asBoolean());
            JsonNode sarif = new ObjectMapper().readTree(dir.resolve("out/report.sarif").toFile());
            assertEquals("inSource", sarif.path("runs").get(0).path("results").get(0).path("suppressions").get(0)
                    .path("kind").asText());

            p.sql("COMMENT ON INDEX account_id_hand IS 'driftwatch:ignore DW999 added by DBA'");
            p.write(p.base());
            CliRun invalid = p.run("audit");
            assertEquals(1, invalid.exitCode(), invalid.all());
            assertTrue(invalid.out().contains("DW403 invalid-inline-waiver"), invalid.out());
            assertTrue(invalid.out().contains("driftwatch:ignore names unknown rule DW999; it waives nothing"),
                    invalid.out());
        }
    }

    @Test
    void anInlineWaiverSetByAMigrationWaivesAHotfixColumn(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2, V3)) {
            p.sql("ALTER TABLE account ADD COLUMN hotfix integer");
            p.write(p.base());
            CliRun r = p.run("audit");
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.out().contains("DW107 extra-column"), r.out());
            assertTrue(r.out().contains("[waived: hotfix columns are kept until the rewrite (INC-42) "
                    + "(comment on table public.account)]"), r.out());

            p.sql("COMMENT ON TABLE account IS 'Accounts.'");
            CliRun dbLost = p.run("audit");
            assertEquals(0, dbLost.exitCode(), dbLost.all());
            assertTrue(dbLost.out().contains("(comment on table public.account in the migrations)]"), dbLost.out());
            assertFalse(dbLost.out().contains("DW164"), "only the waiver differs: no comment finding: " + dbLost.out());

            p.sql("COMMENT ON TABLE account IS 'All accounts.'");
            CliRun changed = p.run("audit");
            assertTrue(changed.out().contains("DW164 changed-comment"), "a real comment change is reported: "
                    + changed.out());
        }
    }

    @Test
    void hostileNamesInPatternsMatchLiterally(@TempDir Path dir) throws Exception {
        try (Project p = project(dir, V1, V2)) {
            p.sql("CREATE INDEX \"idx (a|b)+ \"\"q\"\"; DROP\" ON account (email)");
            p.sql("CREATE INDEX \"idx aaa \"\"q\"\"; DROP\" ON account (email, id)");
            p.write(p.base() + "fail-on: warning\nwaivers:\n  - rule: DW101\n"
                    + "    object: 'public.account.idx (a|b)+ \"q\"; DROP'\n    reason: exact name only\n");
            CliRun r = p.run("audit");
            assertEquals(1, r.exitCode(), "the other index is not waived: " + r.all());
            List<String> waived = r.out().lines().filter(l -> l.contains("[waived: exact name only")).toList();
            assertEquals(1, waived.size(), r.out());
            assertTrue(waived.get(0).contains("public.account.\"idx (a|b)+ \"\"q\"\"; DROP\""), waived.get(0));
        }
    }

    @Test
    void driftwatchYamlInTheWorkingDirectoryIsUsedUnlessNoConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("driftwatch.yaml"), "migrations: [sql]\nfail_on: error\n");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "audit")
                .directory(dir.toFile()).redirectErrorStream(true);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, proc.exitValue(), out);
        assertTrue(out.contains("driftwatch: driftwatch.yaml:2: fail_on: unknown key (did you mean 'fail-on'?)"), out);

        pb.command().add("--no-config");
        Process ignored = pb.start();
        String out2 = new String(ignored.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ignored.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, ignored.exitValue(), out2);
        assertTrue(out2.contains("no migrations given"), "the file was not read: " + out2);
    }
}
