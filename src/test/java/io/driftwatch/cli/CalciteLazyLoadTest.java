package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calcite costs seconds to start, so an audit without SQL rules must not load it. Each case runs the
 * real CLI in a child JVM with {@code -Xlog:class+load} and reads which classes it loaded: without
 * rules none of Calcite's engine (SQL parser and validator, planner, relational algebra, Janino code
 * generation, Guava) and neither of our Calcite classes; with rules (the project's own
 * {@code ./rules}, picked up from the working directory) they are loaded, which proves the check can
 * fail.
 *
 * <p>What does load without rules: {@code java.sql.DriverManager} instantiates every
 * {@code java.sql.Driver} listed in {@code META-INF/services} the first time any JDBC connection
 * is opened, Calcite's and Avatica's included: about 40 small classes in about 20 ms (measured),
 * bounded here at 80 classes.
 */
class CalciteLazyLoadTest {

    static final Path PROJECT = SqlRulesCommandTest.PROJECT;

    @BeforeAll
    static void migrate() throws Exception {
        SqlRulesCommandTest.migrateAndDrift();
    }

    @AfterAll
    static void drop() {
        SqlRulesCommandTest.drop();
    }

    /** Runs {@code driftwatch audit} in a child JVM in {@code workDir}; returns [exit code, stderr, class log]. */
    static String[] audit(Path workDir, Path log, String... extra) throws Exception {
        ShadowServer s = TestPostgres.server();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), "io.driftwatch.cli.Main", "audit",
                "--url", s.jdbcUrl(SqlRulesCommandTest.db.name()), "--user", s.user(),
                "--migrations", PROJECT.resolve("migrations").toAbsolutePath().toString(),
                "--shadow", "url", "--shadow-url", AuditCommandTest.shadowUrl(),
                "--out", workDir.resolve("out").toString(), "--format", "json"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile());
        pb.environment().put("PGPASSWORD", s.password());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child audit did not finish");
        return new String[] {String.valueOf(p.exitValue()),
                Files.readString(workDir.resolve("stderr.txt"), StandardCharsets.UTF_8),
                Files.readString(log, StandardCharsets.UTF_8)};
    }

    /** Packages of Calcite's query engine (not its JDBC driver stub). */
    static final List<String> ENGINE = List.of(" org.apache.calcite.sql.", " org.apache.calcite.sql2rel.",
            " org.apache.calcite.rel.", " org.apache.calcite.plan.", " org.apache.calcite.prepare.",
            " org.codehaus.janino.", " com.google.common.", " io.driftwatch.rules.CalciteEngine ",
            " io.driftwatch.rules.RuleRunner ");

    static boolean loadedCalcite(String classLog) {
        return classLog.lines().anyMatch(l -> ENGINE.stream().anyMatch(l::contains));
    }

    static long calciteClasses(String classLog) {
        return classLog.lines().filter(l -> l.contains(" org.apache.calcite.")).count();
    }

    @Test
    void anAuditWithoutSqlRulesNeverLoadsCalcite(@TempDir Path work) throws Exception {
        String[] r = audit(work, work.resolve("classes.log"));
        assertEquals("1", r[0], r[1]);
        assertTrue(r[2].contains(" io.driftwatch.cli.AuditCommand "), "the class log works: " + r[2].length());
        assertTrue(r[2].contains(" io.driftwatch.cli.RulesMixin "), "the rules mixin ran");
        assertFalse(loadedCalcite(r[2]), "Calcite's engine loaded by an audit without SQL rules");
        assertTrue(calciteClasses(r[2]) <= 80, "only the JDBC driver stub DriverManager's service scan loads: "
                + calciteClasses(r[2]) + " Calcite classes");
    }

    @Test
    void theProjectsOwnRulesFolderLoadsCalcite(@TempDir Path work) throws Exception {
        Path project = Files.createDirectories(work.resolve("project"));
        Path rules = Files.createDirectories(project.resolve("rules"));
        for (String f : List.of("ACME001-float-amount.sql", "ACME003-migration-description-case.sql")) {
            Files.copy(PROJECT.resolve("rules").resolve(f), rules.resolve(f));
        }
        Files.writeString(rules.resolve("seed_data.sql"), "INSERT INTO t VALUES (1);\n");
        String[] r = audit(project, work.resolve("classes.log"), "--verbose");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("sql rules: using 2 rule files from ./rules"), r[1]);
        assertTrue(r[1].contains("sql rules: skipped 1 .sql file(s) in ./rules without a -- id: header"), r[1]);
        assertTrue(r[1].matches("(?s).*sql rules: 2 rules, 3 findings \\(Calcite \\d+\\.\\d s\\).*"), r[1]);
        assertTrue(loadedCalcite(r[2]), "with SQL rules Calcite is loaded");
        assertTrue(calciteClasses(r[2]) > 1000, calciteClasses(r[2]) + " Calcite classes with rules");

        String[] off = audit(project, work.resolve("classes-off.log"), "--no-project-rules");
        assertEquals("1", off[0], off[1]);
        assertFalse(loadedCalcite(off[2]), "--no-project-rules: " + off[1]);
    }
}
