package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQL rules end to end through {@code driftwatch audit} on a real PostgreSQL: the test project
 * {@code fixtures/sql-rules/project} (migrations, hand-made drift, four rule files: over columns,
 * over the audit's own findings, over the version table, over tables with a hostile name) must give
 * exactly the findings in its {@code expected.txt}; rule files with errors stop the run with exit 2
 * and one line naming file, line (and column for SQL errors).
 */
class SqlRulesCommandTest {

    static final Path PROJECT = Path.of(System.getProperty("driftwatch.projectDir", "."))
            .resolve("fixtures/sql-rules/project");

    static ShadowDatabase db;

    @BeforeAll
    static void migrateAndDrift() throws Exception {
        db = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                .locations("filesystem:" + PROJECT.resolve("migrations")).load().migrate();
        try (Connection c = s.connect(db.name()); Statement st = c.createStatement()) {
            st.execute(Files.readString(PROJECT.resolve("drift.sql")));
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    static CliRun audit(Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        List<String> args = new ArrayList<>(List.of("audit", "--url", s.jdbcUrl(db.name()), "--user", s.user(),
                "--password", s.password(), "--migrations", PROJECT.resolve("migrations").toString(),
                "--shadow", "url", "--shadow-url", AuditCommandTest.shadowUrl(), "--out", out.toString(),
                "--format", "json", "--verbose"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** @return every finding of report.json as {@code <rule> <severity> <kind> <object> | <message>}, in report order */
    static List<String> findings(Path report) throws Exception {
        JsonNode root = new ObjectMapper().readTree(report.toFile());
        List<String> lines = new ArrayList<>();
        for (JsonNode f : root.get("findings")) {
            lines.add(f.get("ruleId").asText() + " " + f.get("severity").asText() + " " + f.get("object").get("kind").asText()
                    + " " + f.get("object").get("qualifiedName").asText() + " | " + f.get("message").asText());
        }
        return lines;
    }

    static List<String> expected(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void customRulesProduceExactlyTheExpectedFindings(@TempDir Path out) throws Exception {
        CliRun r = audit(out, "--rules", PROJECT.resolve("rules").toString());
        assertEquals(1, r.exitCode(), r.all());
        assertEquals(expected(PROJECT.resolve("expected.txt")), findings(out.resolve("report.json")));
        assertTrue(r.err().matches("(?s).*sql rules: 4 rules, 5 findings \\(Calcite \\d+\\.\\d s\\).*"), r.err());
        // the console shows the custom rules like the built-in ones
        assertTrue(r.out().contains("ACME002 billing-hand-made-index"), r.out());
    }

    /**
     * driftwatch.yaml names the rules folder, lowers a custom rule's severity, waives a custom rule's
     * finding on one object and sets fail-on: the policy runs after the SQL rules, so it covers them.
     */
    @Test
    void configNamesCustomRulesInSeverityOverridesAndWaivers(@TempDir Path out) throws Exception {
        Path cfg = out.resolve("driftwatch.yaml");
        Files.writeString(cfg, String.join("\n",
                "rules: [" + PROJECT.resolve("rules").toAbsolutePath() + "]",
                "fail-on: error",
                "severity:",
                "  ACME002: warning",
                "  table-without-comment: off",
                "waivers:",
                "  - rule: ACME001",
                "    object: billing.line.total_amount",
                "    reason: real is fine for line totals (FIN-7)",
                ""), StandardCharsets.UTF_8);
        CliRun r = audit(out, "--config", cfg.toString());
        assertEquals(0, r.exitCode(), r.all());
        JsonNode root = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        List<String> lines = new ArrayList<>();
        for (JsonNode f : root.get("findings")) {
            JsonNode w = f.get("waiver");
            lines.add(f.get("ruleId").asText() + " " + f.get("severity").asText() + " "
                    + f.get("object").get("qualifiedName").asText()
                    + (w.isNull() ? "" : " waived: " + w.get("reason").asText()));
        }
        assertEquals(List.of(
                "ACME001 warning billing.invoice.amount_due",
                "ACME002 warning billing.invoice.invoice_note_idx",
                "DW101 warning billing.invoice.invoice_note_idx",
                "DW101 warning public.customer.customer_name_idx",
                "ACME003 info 2",
                "ACME001 warning billing.line.total_amount waived: real is fine for line totals (FIN-7)"),
                lines.stream().sorted(java.util.Comparator.comparing((String l) -> l.contains("waived"))
                        .thenComparing(l -> l.contains(" info ")).thenComparing(l -> l)).toList());
        try (var in = Files.newInputStream(Path.of(System.getProperty("driftwatch.projectDir", "."))
                .resolve("reports/schema/report-v2.schema.json"))) {
            var errors = com.networknt.schema.JsonSchemaFactory
                    .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V4).getSchema(in).validate(root);
            assertTrue(errors.isEmpty(), "report.json with custom rule ids fails its schema: " + errors);
        }
    }

    @Test
    void aConfigWaiverNamingAnUnloadedRuleFailsBeforeTheAudit(@TempDir Path out) throws Exception {
        Path cfg = out.resolve("driftwatch.yaml");
        Files.writeString(cfg, "severity:\n  ACME002: warning\n", StandardCharsets.UTF_8);
        CliRun r = audit(out, "--config", cfg.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("driftwatch.yaml:2") && r.err().contains("ACME002"), r.err());
        assertFalse(Files.exists(out.resolve("report.json")));
    }

    @Test
    void withoutRulesTheSameAuditHasOnlyTheBuiltInFindings(@TempDir Path out) throws Exception {
        CliRun r = audit(out);
        assertEquals(1, r.exitCode(), r.all());
        assertEquals(expected(PROJECT.resolve("expected.txt")).stream().filter(l -> l.startsWith("DW")).toList(),
                findings(out.resolve("report.json")));
        assertFalse(r.err().contains("sql rules:"), r.err());
    }

    @Test
    void ruleFileErrorsExitTwoNamingFileAndLine(@TempDir Path work) throws Exception {
        Path rules = Files.createDirectories(work.resolve("rules"));
        Path out = work.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.json"), "stale");
        Path bad = rules.resolve("bad.sql");

        // a header error is found before the audit starts
        Files.writeString(bad, "-- id: ACME9\n-- name: x\n-- sevrity: warning\nSELECT 1");
        CliRun header = audit(out, "--rules", rules.toString());
        AuditCommandTest.assertOneLineError(header, 2, bad + ":3: unknown header key 'sevrity'");
        assertFalse(header.err().contains("  … "), "no audit step started: " + header.err());
        assertFalse(Files.exists(out.resolve("report.json")), "a failed run leaves no report");

        // SQL that Calcite rejects: file, line and column of the error inside the file
        Files.writeString(bad, String.join("\n", "-- id: ACME9", "-- name: x", "-- severity: warning",
                "-- title: t", "-- message: m", "-- object: table", "", "SELECT schema_name, table_name",
                "FROM tables", "WHERE nope = 1"));
        CliRun sql = audit(out, "--rules", rules.toString());
        AuditCommandTest.assertOneLineError(sql, 2, bad + ":10:7: the query of rule ACME9 fails: Column 'nope' not found");
        assertFalse(Files.exists(out.resolve("report.json")));

        // a placeholder the query does not return
        Files.writeString(bad, String.join("\n", "-- id: ACME9", "-- name: x", "-- severity: warning",
                "-- title: t", "-- message: {schema_name}.{tabel}", "-- object: table", "",
                "SELECT schema_name, table_name FROM tables"));
        CliRun placeholder = audit(out, "--rules", rules.toString());
        AuditCommandTest.assertOneLineError(placeholder, 2, bad + ":5: message placeholder {tabel} is not a column");

        // an id clash with another file
        Files.writeString(bad, Files.readString(PROJECT.resolve("rules/ACME001-float-amount.sql"))
                .replace("float-amount", "other-name"));
        CliRun clash = audit(out, "--rules", rules.toString(), "--rules", PROJECT.resolve("rules").toString());
        AuditCommandTest.assertOneLineError(clash, 2, "ACME001-float-amount.sql:1: rule id ACME001 is also defined in "
                + bad + ":1");

        // a missing folder
        CliRun missing = audit(out, "--rules", work.resolve("nope").toString());
        AuditCommandTest.assertOneLineError(missing, 2, "nope: no such folder");
    }
}
