package io.driftwatch.audit;

import io.driftwatch.testsupport.Audits;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.flyway.FlywaySettings;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.testsupport.TestPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Test helpers: audit options against the test server, with the same server as the shadow
 * (through the {@code url} provider, so no second server is started per test).
 */
final class AuditHarness {

    static final Path PROJECT_DIR = Path.of(System.getProperty("driftwatch.projectDir", "."));
    static final Path SHOP = PROJECT_DIR.resolve("fixtures/shop");
    /** the full-coverage project: every object kind (issue 4) */
    static final Path CATALOG = PROJECT_DIR.resolve("fixtures/catalog");

    private AuditHarness() {
    }

    /** @return placeholders from {@code fixtures/shop/flyway.toml} */
    static Map<String, String> shopPlaceholders() throws Exception {
        return placeholders(SHOP);
    }

    /** @return placeholders from {@code <project>/flyway.toml}, or none */
    static Map<String, String> placeholders(Path project) throws Exception {
        Path toml = project.resolve("flyway.toml");
        if (!Files.exists(toml)) {
            return Map.of();
        }
        FlywaySettings s = new FlywayConfigFile().read(toml);
        return s.placeholders();
    }

    /** @return the target spec for a test database, as the superuser of the test server */
    static ConnectionSpec target(ShadowDatabase db) {
        ShadowServer server = TestPostgres.server();
        return ConnectionSpec.parse(server.jdbcUrl(db.name()), server.user(), server.password(), Map.of());
    }

    /** @return options auditing {@code target} against {@code migrations}, shadow on the test server */
    static AuditOptions options(ConnectionSpec target, Path migrations, Map<String, String> placeholders) {
        ShadowServer server = TestPostgres.server();
        ConnectionSpec shadow = ConnectionSpec.parse(server.jdbcUrl("postgres"), server.user(), server.password(), Map.of());
        return Audits.flyway(target, List.of(migrations), placeholders,
                new ShadowOptions(ShadowKind.URL, shadow, null, null), Severity.WARNING,
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /**
     * @return options for a scenario of {@code project}: the shop's as {@link #options}; the catalog
     *         project's additionally compare privileges and owners (both sides live on the same
     *         test server, so roles agree)
     */
    static AuditOptions options(Path project, ConnectionSpec target, Path migrations, Map<String, String> placeholders) {
        AuditOptions o = options(target, migrations, placeholders);
        return project.equals(CATALOG) ? o.withAccess(true, true, Map.of()) : o;
    }

    /** @return findings as {@code "<RULE_ID> <qualified name>"} lines, sorted */
    static List<String> lines(AuditResult result) {
        return result.findings().stream().map(AuditHarness::line).sorted().toList();
    }

    static String line(Finding f) {
        return f.rule().id() + " " + f.object().qualifiedName();
    }
}
