package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.cache.ModelCache;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cache-dir} and {@code --no-cache} through the CLI on the shop project: the second audit
 * takes the expected model from the cache (and says so), with the same findings; {@code --no-cache}
 * replays; the gate still rehearses on a cache hit; a local shadow server is not even started.
 */
class CacheCommandTest {

    static final Path SHOP = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/shop");
    static final String HIT = "expected model: from cache (key ";

    static ShadowDatabase db;

    @BeforeAll
    static void migrate() throws Exception {
        db = TestPostgres.newDatabase();
        BridgeCommandTest.flywayMigrate(db, SHOP.resolve("migrations"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX customers_hand ON customers (created_at)");
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    static CliRun audit(Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        String[] base = {"audit", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password", s.password(),
                "--flyway-config", SHOP.resolve("flyway.toml").toString(), "--shadow-url",
                AuditCommandTest.withCredentials(s.jdbcUrl("postgres")), "--out", out.toString(), "--no-color"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    static JsonNode findings(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("findings");
    }

    @Test
    void secondAuditTakesTheExpectedModelFromTheCacheDir(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        CliRun cold = audit(tmp.resolve("cold"), "--cache-dir", cache.toString());
        assertEquals(1, cold.exitCode(), cold.all());
        assertTrue(cold.err().contains("shadow: "), cold.err());
        assertFalse(cold.err().contains(HIT), cold.err());
        try (Stream<Path> files = Files.list(cache.resolve("expected-models"))) {
            assertEquals(1, files.count());
        }

        CliRun warm = audit(tmp.resolve("warm"), "--cache-dir", cache.toString());
        assertEquals(1, warm.exitCode(), warm.all());
        assertTrue(warm.err().contains(HIT), warm.err());
        assertFalse(warm.err().contains("shadow: "), "no shadow opened: " + warm.err());
        assertEquals(findings(tmp.resolve("cold")), findings(tmp.resolve("warm")));
        assertTrue(findings(tmp.resolve("warm")).toString().contains("customers_hand"));
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("warm").resolve("report.json").toFile());
        assertTrue(report.path("expected").path("shadow").asText().contains("replay skipped"), report.path("expected").toString());
    }

    @Test
    void noCacheNeitherReadsNorWrites(@TempDir Path tmp) throws Exception {
        // the default folder (XDG_CACHE_HOME, set by the build for tests) gets an entry first
        Path defaultDir = ModelCache.defaultDir(System.getenv(), System.getProperty("user.home"))
                .resolve("expected-models");
        CliRun first = audit(tmp.resolve("a"));
        assertEquals(1, first.exitCode(), first.all());
        long before = count(defaultDir);
        assertTrue(before >= 1, "the default cache folder " + defaultDir + " got an entry");

        CliRun off = audit(tmp.resolve("b"), "--no-cache");
        assertEquals(1, off.exitCode(), off.all());
        assertFalse(off.err().contains(HIT), off.err());
        assertTrue(off.err().contains("shadow: "), off.err());
        assertEquals(before, count(defaultDir));
        try (Stream<Path> files = Files.list(defaultDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        assertEquals(1, audit(tmp.resolve("c"), "--no-cache").exitCode());
        assertEquals(0, count(defaultDir), "--no-cache writes nothing");
    }

    @Test
    void noCacheWithCacheDirIsAUsageError(@TempDir Path tmp) {
        CliRun r = audit(tmp, "--no-cache", "--cache-dir", tmp.resolve("c").toString());
        AuditCommandTest.assertOneLineError(r, 2, "--no-cache and --cache-dir");
    }

    @Test
    void helpNamesTheCacheOptions() {
        for (String command : new String[] {"audit", "gate", "bridge", "stamp"}) {
            CliRun r = CliRun.of(command, "--help");
            assertTrue(r.all().contains("--cache-dir=DIR") && r.all().contains("--no-cache"), command + ": " + r.all());
        }
    }

    @Test
    void gateRehearsesOnACacheHit(@TempDir Path tmp) throws Exception {
        Path gate = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("fixtures/gate");
        try (ShadowDatabase target = TestPostgres.newDatabase()) {
            ShadowServer s = TestPostgres.server();
            org.flywaydb.core.Flyway.configure().dataSource(s.jdbcUrl(target.name()), s.user(), s.password())
                    .locations("filesystem:" + gate.resolve("base").toAbsolutePath()).load().migrate();
            String[] args = {"gate", "--url", s.jdbcUrl(target.name()), "--user", s.user(), "--password", s.password(),
                    "-m", gate.resolve("base").toString(), "-m", gate.resolve("clean/pending").toString(),
                    "--shadow-url", AuditCommandTest.withCredentials(s.jdbcUrl("postgres")), "--no-color",
                    "--cache-dir", tmp.resolve("cache").toString()};
            CliRun cold = CliRun.of(concat(args, "--out", tmp.resolve("cold").toString()));
            CliRun warm = CliRun.of(concat(args, "--out", tmp.resolve("warm").toString()));
            assertEquals(0, cold.exitCode(), cold.all());
            assertEquals(0, warm.exitCode(), warm.all());
            assertFalse(cold.err().contains(HIT), cold.err());
            assertTrue(warm.err().contains(HIT), warm.err());
            assertTrue(warm.out().contains("applied V10__customer_note.sql"), warm.out());
            JsonNode c = new ObjectMapper().readTree(tmp.resolve("cold").resolve("report.json").toFile());
            JsonNode w = new ObjectMapper().readTree(tmp.resolve("warm").resolve("report.json").toFile());
            assertEquals(c.path("findings"), w.path("findings"));
            assertEquals(withoutMillis(c.path("rehearsal").path("migrations")),
                    withoutMillis(w.path("rehearsal").path("migrations")));
        }
    }

    /**
     * With a local shadow (initdb + pg_ctl) the warm run starts no server at all. Also prints the
     * cold and warm wall times of the whole command (a rough measurement; the machine is shared).
     */
    @Test
    void warmAuditStartsNoLocalShadowServer(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        ShadowServer s = TestPostgres.server();
        String[] args = {"audit", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password", s.password(),
                "--flyway-config", SHOP.resolve("flyway.toml").toString(), "--shadow", "local", "--no-color",
                "--cache-dir", cache.toString()};
        long t0 = System.nanoTime();
        CliRun cold = CliRun.of(concat(args, "--out", tmp.resolve("cold").toString()));
        long t1 = System.nanoTime();
        CliRun warm = CliRun.of(concat(args, "--out", tmp.resolve("warm").toString()));
        long t2 = System.nanoTime();
        assertEquals(1, cold.exitCode(), cold.all());
        assertEquals(1, warm.exitCode(), warm.all());
        assertTrue(cold.err().contains("shadow: local PostgreSQL"), cold.err());
        assertFalse(warm.err().contains("shadow: "), "no local server started: " + warm.err());
        assertTrue(warm.err().contains(HIT), warm.err());
        assertEquals(findings(tmp.resolve("cold")), findings(tmp.resolve("warm")));
        System.out.printf(Locale.ROOT, "shop audit, local shadow: cold %.2f s, warm %.2f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private static String withoutMillis(JsonNode migrations) {
        return migrations.toString().replaceAll("\"millis\":\\d+", "");
    }

    private static long count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
