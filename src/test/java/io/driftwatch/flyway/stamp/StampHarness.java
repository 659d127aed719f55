package io.driftwatch.flyway.stamp;

import io.driftwatch.testsupport.Audits;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.demo.DriftScenario;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.policy.Severity;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.testsupport.TestPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Test helpers: shop scenarios on the test server, audit options with the same server as the shadow. */
final class StampHarness {

    static final Path PROJECT_DIR = Path.of(System.getProperty("driftwatch.projectDir", "."));
    static final Path SHOP = PROJECT_DIR.resolve("fixtures/shop");
    static final Path SHOP_MIGRATIONS = SHOP.resolve("migrations");

    private StampHarness() {
    }

    static Map<String, String> shopPlaceholders() throws Exception {
        return new FlywayConfigFile().read(SHOP.resolve("flyway.toml")).placeholders();
    }

    /** Migrates {@code db} and applies the named shop scenario; @return the migrations folder to stamp against. */
    static Path scenario(ShadowDatabase db, String name, Path work) throws Exception {
        return DriftScenario.load(SHOP.resolve("drift").resolve(name)).apply(db, SHOP_MIGRATIONS, shopPlaceholders(), work);
    }

    static ConnectionSpec target(ShadowDatabase db) {
        ShadowServer server = TestPostgres.server();
        return ConnectionSpec.parse(server.jdbcUrl(db.name()), server.user(), server.password(), Map.of());
    }

    static AuditOptions options(ShadowDatabase db, Path migrations, Map<String, String> placeholders) {
        ShadowServer server = TestPostgres.server();
        ConnectionSpec shadow = ConnectionSpec.parse(server.jdbcUrl("postgres"), server.user(), server.password(), Map.of());
        return Audits.flyway(target(db), List.of(migrations), placeholders,
                new ShadowOptions(ShadowKind.URL, shadow, null, null), Severity.WARNING,
                Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /** Runs SQL on {@code db} as one JDBC execute (as psql -f would, statement by statement, in one session). */
    static void execute(ShadowDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
