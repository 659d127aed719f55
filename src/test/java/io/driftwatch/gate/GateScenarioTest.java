package io.driftwatch.gate;

import io.driftwatch.postgres.gate.MigrationHazards;
import io.driftwatch.postgres.gate.ProbeSettings;
import io.driftwatch.testsupport.Audits;
import io.driftwatch.postgres.gate.PostgresGateChecks;
import io.driftwatch.base.AuditListener;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Rehearsal;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.flyway.QuietFlywayLogCreator;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate end to end, one case per folder of {@code fixtures/gate/} (see {@code fixtures/README.md}):
 * migrate a fresh database with {@code fixtures/gate/base}, run the case's {@code setup.sql} on it
 * (hand-made drift, production rows), then gate it against {@code base} plus the case's
 * {@code pending/} scripts and expect exactly {@code expected.txt} ({@code <rule> <severity> <object>}),
 * the per-migration outcomes of {@code rehearsal.txt}, and every {@code <rule> <text>} line of
 * {@code messages.txt} inside some finding of that rule. With {@code connect-as.txt} ({@code <role>
 * <password>}) the gate connects as that role (created by {@code setup.sql}) instead of the superuser. Every case also proves the target was not
 * written: its catalog and version table read the same before and after the gate.
 */
class GateScenarioTest {

    static final Path GATE = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/gate");

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(GATE)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isDirectory(d.resolve("pending"))) {
                    out.add(Arguments.of(Named.of(d.getFileName().toString(), d)));
                }
            }
        }
        assertTrue(out.size() >= 10, "expected the gate cases in " + GATE + ", found " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gateFindsWhatTheCaseExpects(Path dir) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            migrate(db, GATE.resolve("base"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute(Files.readString(dir.resolve("setup.sql")));
            }
            String before = fingerprint(db);

            AuditResult result = new Gate().run(options(db, dir), gateOptions(), AuditListener.QUIET).result();

            assertEquals(before, fingerprint(db), "the gate must not write to the target");
            List<String> expected = Files.readAllLines(dir.resolve("expected.txt")).stream()
                    .filter(l -> !l.isBlank()).sorted().toList();
            assertEquals(expected, lines(result), "findings of " + dir.getFileName());
            List<String> steps = Files.readAllLines(dir.resolve("rehearsal.txt")).stream()
                    .filter(l -> !l.isBlank()).toList();
            assertEquals(steps, steps(result.rehearsal()), "rehearsal of " + dir.getFileName());
            Path messages = dir.resolve("messages.txt");
            if (Files.exists(messages)) {
                for (String line : Files.readAllLines(messages)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String rule = line.substring(0, line.indexOf(' '));
                    String text = line.substring(line.indexOf(' ') + 1);
                    assertTrue(result.findings().stream().anyMatch(f -> f.rule().id().equals(rule)
                                    && f.message().contains(text)),
                            "some " + rule + " finding must say '" + text + "'; findings: " + result.findings());
                }
            }
            assertEquals(result.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR), result.failed(),
                    "exit status follows --fail-on error");
        }
    }

    static void migrate(ShadowDatabase db, Path location) {
        ShadowServer server = db.server();
        Flyway.configure(GateScenarioTest.class.getClassLoader())
                .loggers(QuietFlywayLogCreator.class.getName())
                .dataSource(db.jdbcUrl(), server.user(), server.password())
                .locations("filesystem:" + location.toAbsolutePath())
                .load().migrate();
    }

    static AuditOptions options(ShadowDatabase db, Path caseDir) throws Exception {
        ShadowServer server = TestPostgres.server();
        String user = server.user();
        String password = server.password();
        Path connectAs = caseDir.resolve("connect-as.txt");
        if (Files.exists(connectAs)) { // "<role> <password>": the gate connects as a role setup.sql created
            String[] parts = Files.readString(connectAs).trim().split("\\s+");
            user = parts[0];
            password = parts[1];
        }
        ConnectionSpec target = ConnectionSpec.parse(server.jdbcUrl(db.name()), user, password, Map.of());
        ConnectionSpec shadow = ConnectionSpec.parse(server.jdbcUrl("postgres"), server.user(), server.password(),
                Map.of());
        return Audits.flyway(target, List.of(GATE.resolve("base"), caseDir.resolve("pending")), Map.of(),
                new ShadowOptions(ShadowKind.URL, shadow, null, null), Severity.ERROR,
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    static Gate.Options gateOptions() {
        return new Gate.Options(Duration.ZERO, false, true, new PostgresGateChecks(MigrationHazards.Thresholds.defaults(),
                ProbeSettings.defaults()));
    }

    /** @return catalog model and version table of the target, as text */
    static String fingerprint(ShadowDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SchemaModel model = new PostgresCatalogReader().read(c,
                    new SchemaFilter(List.of(), List.of(), "public", "flyway_schema_history"));
            StringBuilder sb = new StringBuilder(String.valueOf(new SchemaDiffer().diff(SchemaModel.empty(), model)));
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT installed_rank, version, checksum, success FROM "
                         + "flyway_schema_history ORDER BY installed_rank")) {
                while (rs.next()) {
                    sb.append('\n').append(rs.getInt(1)).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getString(3)).append(' ').append(rs.getBoolean(4));
                }
            }
            for (String table : List.of("customers", "orders", "order_items")) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY "
                             + "t::text), '')) FROM " + table + " t")) {
                    rs.next();
                    sb.append('\n').append(table).append(": ").append(rs.getLong(1)).append(' ').append(rs.getString(2));
                }
            }
            return sb.toString();
        }
    }

    static List<String> lines(AuditResult result) {
        return result.findings().stream().map(GateScenarioTest::line).sorted().toList();
    }

    static String line(Finding f) {
        return f.rule().id() + " " + f.severity().label() + " " + f.object().qualifiedName();
    }

    static List<String> steps(Rehearsal r) {
        return r.migrations().stream().map(s -> switch (s.outcome()) {
            case APPLIED -> "applied " + s.script();
            case NOT_RUN -> "not-run " + s.script();
            case FAILED -> "failed " + s.script() + (s.failure().causedByDrift() ? " drift" : "");
        }).toList();
    }
}
