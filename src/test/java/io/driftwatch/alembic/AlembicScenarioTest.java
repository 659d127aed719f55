package io.driftwatch.alembic;

import io.driftwatch.audit.AuditOptions;
import io.driftwatch.audit.Auditor;
import io.driftwatch.base.AuditListener;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.Severity;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every drift scenario of {@code fixtures/alembic/tracker/drift/} (format in {@code fixtures/alembic/README.md}):
 * the target migrated by the real Alembic, drifted by hand, audited against the (edited) project copy with
 * {@link AlembicTool}; the findings are exactly {@code expected-findings.txt}.
 */
class AlembicScenarioTest {

    static AlembicHelper helper;
    static PythonInterpreter python;

    @BeforeAll
    static void open() throws AlembicException {
        python = new PythonLocator(System.getenv(), Duration.ofSeconds(20)).locate(null).require();
        helper = AlembicHelper.open(python, Duration.ofMinutes(3), System.getenv());
    }

    @AfterAll
    static void close() {
        helper.close();
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        Path drift = AlembicFixture.TRACKER.resolve("drift");
        List<Path> cases;
        try (Stream<Path> s = Files.list(drift)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> run(c)));
    }

    private static void run(Path scenario) throws Exception {
        ShadowServer server = TestPostgres.server();
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            String url = SqlAlchemyUrl.fromJdbc(server.jdbcUrl(db.name()), server.user(), server.password());
            Path target = scenario.resolve("migrate-target");
            List<String> targets = Files.exists(target)
                    ? List.of(Files.readString(target).trim().split("\\s+")) : List.of("heads");
            helper.upgrade(AlembicFixture.tracker(), url, targets);
            String sql = Files.readString(scenario.resolve("drift.sql"), StandardCharsets.UTF_8);
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute(sql);
                c.commit();
            }
            Path copy = Files.createTempDirectory("driftwatch-alembic-scenario");
            try {
                copyProject(AlembicFixture.TRACKER, copy);
                applyEdits(scenario, copy);
                AlembicTool tool = new AlembicTool(AlembicConfig.locate(copy), python, null, null, null,
                        Duration.ofMinutes(3), System.getenv());
                ConnectionSpec live = ConnectionSpec.parse(server.jdbcUrl(db.name()), server.user(), server.password(),
                        Map.of());
                ConnectionSpec shadow = ConnectionSpec.parse(server.jdbcUrl("postgres"), server.user(),
                        server.password(), Map.of());
                AuditOptions options = new AuditOptions(PostgresDialect.INSTANCE, live, tool, List.of(), List.of(),
                        new ShadowOptions(ShadowKind.URL, shadow, null, null), Severity.WARNING,
                        Duration.ofSeconds(5), Duration.ofSeconds(60));
                AuditResult result = new Auditor().run(options, AuditListener.QUIET);
                List<String> actual = result.findings().stream()
                        .map(f -> f.rule().id() + " " + f.object().qualifiedName()).sorted().toList();
                assertEquals(expected(scenario), actual, scenario.getFileName() + ": " + result.findings());
            } finally {
                delete(copy);
            }
        }
    }

    static List<String> expected(Path scenario) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(scenario.resolve("expected-findings.txt"), StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out.stream().sorted().toList();
    }

    /** Copies the project without its drift scenarios and byte-code caches. */
    static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("drift") || rel.toString().contains("__pycache__")) {
                    continue;
                }
                Path dst = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
    }

    /** {@code edits/} replace or add files in the version locations; {@code removed.txt} deletes them. */
    static void applyEdits(Path scenario, Path copy) throws IOException {
        List<Path> locations = List.of(copy.resolve("migrations/versions"), copy.resolve("migrations/reporting"));
        Path edits = scenario.resolve("edits");
        if (Files.isDirectory(edits)) {
            try (Stream<Path> s = Files.list(edits)) {
                for (Path e : s.toList()) {
                    Path dst = locations.stream().map(l -> l.resolve(e.getFileName().toString()))
                            .filter(Files::exists).findFirst()
                            .orElse(locations.get(0).resolve(e.getFileName().toString()));
                    Files.copy(e, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path removed = scenario.resolve("removed.txt");
        if (Files.exists(removed)) {
            for (String line : Files.readAllLines(removed, StandardCharsets.UTF_8)) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                for (Path l : locations) {
                    Files.deleteIfExists(l.resolve(name));
                }
            }
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
