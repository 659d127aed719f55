package io.driftwatch.audit;

import io.driftwatch.testsupport.Audits;
import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.cache.ModelCache;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The expected-model cache inside a real audit: a second identical audit neither opens a shadow nor
 * replays and gives the same findings; editing a script, a placeholder value or the scope replays
 * again; a corrupt entry is replaced; no password or placeholder value reaches the cache folder; and
 * a failing live read (which now runs beside the replay) keeps its error.
 */
class ModelCacheAuditTest {

    static final Map<String, String> PLACEHOLDERS = Map.of("team", "core", "secret", "s3cr3t-value");

    /** Records the audit's steps and notes. */
    static final class Recorder implements AuditListener {
        final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void step(String what) {
            steps.add(what);
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }

        boolean replayed() {
            return steps.stream().anyMatch(s -> s.startsWith("replaying "));
        }

        boolean shadowOpened() {
            // ShadowProviders reports every server it opens in one "shadow: ..." line
            return notes.stream().anyMatch(n -> n.startsWith("shadow: "));
        }

        boolean hit() {
            return notes.stream().anyMatch(n -> n.matches("expected model: from cache \\(key [0-9a-f]{12}…, replay skipped\\)"));
        }
    }

    @TempDir
    Path dir;
    Path sql;
    Path cacheDir;
    ShadowDatabase db;

    @BeforeEach
    void project() throws Exception {
        sql = Files.createDirectories(dir.resolve("sql"));
        cacheDir = dir.resolve("cache");
        Files.writeString(sql.resolve("V1__account.sql"), "CREATE TABLE account (id bigint PRIMARY KEY, email text);\n");
        Files.writeString(sql.resolve("V2__account_email.sql"),
                "CREATE UNIQUE INDEX account_email ON account (lower(email));\n");
        // a versioned script: Flyway's checksum ignores placeholder values, the cache key must not
        Files.writeString(sql.resolve("V3__comment.sql"),
                "COMMENT ON TABLE account IS 'owned by ${team}';\n-- deployed with ${secret}\n");
        db = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password()).placeholders(PLACEHOLDERS)
                .locations("filesystem:" + sql).load().migrate();
        exec("CREATE INDEX account_hand ON account (id, email)");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private void exec(String statement) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private AuditOptions options(Map<String, String> placeholders) {
        return AuditHarness.options(AuditHarness.target(db), sql, placeholders).withCache(new ModelCache(cacheDir));
    }

    private static AuditRun audit(AuditOptions options, Recorder rec) throws AuditException {
        return new Auditor().runFull(options, rec);
    }

    private List<Path> entries() throws Exception {
        Path sub = cacheDir.resolve("expected-models");
        if (!Files.isDirectory(sub)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(sub)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void secondIdenticalAuditTakesTheModelFromTheCache() throws Exception {
        Recorder cold = new Recorder();
        AuditRun first = audit(options(PLACEHOLDERS), cold);
        assertTrue(cold.replayed() && cold.shadowOpened(), cold.steps + " " + cold.notes);
        assertFalse(cold.hit());
        assertEquals(1, entries().size());
        assertEquals(List.of("DW101 public.account.account_hand"), AuditHarness.lines(first.result()));

        Recorder warm = new Recorder();
        AuditRun second = audit(options(PLACEHOLDERS), warm);
        assertTrue(warm.hit(), warm.notes.toString());
        assertFalse(warm.replayed(), warm.steps.toString());
        assertFalse(warm.shadowOpened(), "no shadow server was opened: " + warm.notes);
        assertFalse(warm.steps.contains("starting shadow database"), warm.steps.toString());
        assertTrue(warm.steps.contains("reading live catalog"), warm.steps.toString());
        assertEquals(first.expected(), second.expected());
        assertEquals(first.result().findings(), second.result().findings());
        assertTrue(second.result().expected().shadow().contains("from the cache")
                && second.result().expected().shadow().contains("replay skipped"), second.result().expected().shadow());
        assertTrue(second.result().notes().stream().anyMatch(n -> n.startsWith("expected model: from cache")),
                "the report says so too: " + second.result().notes());
        assertEquals(3, second.result().expected().scriptsReplayed(), "the model stands for the 3 applied scripts");
    }

    @Test
    void editingAnAppliedMigrationReplaysAgain() throws Exception {
        audit(options(PLACEHOLDERS), new Recorder());
        Files.writeString(sql.resolve("V2__account_email.sql"), "CREATE UNIQUE INDEX account_email ON account (email);\n");
        Recorder rec = new Recorder();
        AuditRun edited = audit(options(PLACEHOLDERS), rec);
        assertTrue(rec.replayed(), rec.steps.toString());
        assertFalse(rec.hit());
        // the replayed model follows the edit: the live index now differs from the expected one
        List<String> lines = AuditHarness.lines(edited.result());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("public.account.account_email")), lines.toString());
        assertEquals(2, entries().size());

        Recorder again = new Recorder();
        assertEquals(lines, AuditHarness.lines(audit(options(PLACEHOLDERS), again).result()));
        assertTrue(again.hit(), "the edited state is cached in turn: " + again.notes);
    }

    @Test
    void anotherPlaceholderValueReplaysAgain() throws Exception {
        audit(options(PLACEHOLDERS), new Recorder());
        Recorder rec = new Recorder();
        AuditRun other = audit(options(Map.of("team", "payments", "secret", "s3cr3t-value")), rec);
        assertTrue(rec.replayed() && !rec.hit(), rec.notes.toString());
        // the comment differs between the replay (payments) and the live database (core)
        List<String> lines = AuditHarness.lines(other.result());
        assertNotEquals(List.of("DW101 public.account.account_hand"), lines);
    }

    @Test
    void anotherScopeOrAccessFlagReplaysAgain() throws Exception {
        audit(options(PLACEHOLDERS), new Recorder());
        AuditOptions base = options(PLACEHOLDERS);
        AuditOptions scoped = new AuditOptions(base.dialect(), base.target(), base.tool(), List.of("public"),
                base.excludes(), base.shadow(), base.failOn(), base.lockTimeout(), base.statementTimeout())
                .withCache(base.cache());
        Recorder rec = new Recorder();
        audit(scoped, rec);
        assertTrue(rec.replayed() && !rec.hit(), "--schemas public: " + rec.notes);

        Recorder owners = new Recorder();
        audit(base.withAccess(false, true, Map.of()).withCache(base.cache()), owners);
        assertTrue(owners.replayed() && !owners.hit(), "--with-owners: " + owners.notes);
        assertEquals(3, entries().size());
    }

    @Test
    void corruptEntryIsIgnoredAndReplaced() throws Exception {
        AuditRun first = audit(options(PLACEHOLDERS), new Recorder());
        Path entry = entries().get(0);
        Files.writeString(entry, "{\"formatVersion\": 2, \"garbage", StandardCharsets.UTF_8);
        Recorder rec = new Recorder();
        AuditRun second = audit(options(PLACEHOLDERS), rec);
        assertTrue(rec.replayed(), rec.steps.toString());
        assertEquals(1, rec.notes.stream().filter(n -> n.startsWith("expected-model cache: ignoring unreadable entry "
                + entry)).count(), rec.notes.toString());
        assertEquals(first.result().findings(), second.result().findings());
        Recorder third = new Recorder();
        audit(options(PLACEHOLDERS), third);
        assertTrue(third.hit(), "the entry was replaced: " + third.notes);
    }

    @Test
    void withoutACacheNothingIsReadOrWritten() throws Exception {
        audit(options(PLACEHOLDERS), new Recorder());
        List<Path> before = entries();
        Recorder rec = new Recorder();
        new Auditor().runFull(options(PLACEHOLDERS).withCache(null), rec);
        assertTrue(rec.replayed() && rec.shadowOpened() && !rec.hit(), rec.notes.toString());
        assertEquals(before, entries());
    }

    @Test
    void cacheHoldsNoPasswordOrPlaceholderValue() throws Exception {
        audit(options(PLACEHOLDERS), new Recorder());
        String password = TestPostgres.server().password();
        try (Stream<Path> files = Files.walk(cacheDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains("s3cr3t-value"), f + " holds a placeholder value");
                assertFalse(password != null && !password.isEmpty() && text.contains(password), f + " holds the password");
                assertFalse(text.contains("jdbc:") || text.contains("postgresql://"), f + " holds a URL");
            }
        }
    }

    @Test
    void perRunFlywayPlaceholderBypassesTheCache() throws Exception {
        Files.writeString(sql.resolve("V4__stamp.sql"), "COMMENT ON COLUMN account.email IS 'at ${flyway:timestamp}';\n");
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password()).placeholders(PLACEHOLDERS)
                .locations("filesystem:" + sql).load().migrate();
        Recorder rec = new Recorder();
        audit(options(PLACEHOLDERS), rec);
        assertTrue(rec.notes.contains("expected-model cache not used: V4__stamp.sql uses ${flyway:timestamp}, "
                + "which replays differently each time"), rec.notes.toString());
        assertEquals(List.of(), entries());
    }

    @Test
    void liveReadFailureWinsWhileTheShadowReplaysBesideIt() throws Exception {
        ShadowServer s = TestPostgres.server();
        AuditOptions base = options(PLACEHOLDERS).withCache(null);
        AuditOptions quick = new AuditOptions(base.dialect(), base.target(), base.tool(), base.schemas(),
                base.excludes(), base.shadow(), base.failOn(), Duration.ofMillis(300), base.statementTimeout());
        // another session holds pg_depend of the target database: the live read's first catalog query waits,
        // lock_timeout ends it; the shadow (another database) replays undisturbed meanwhile
        try (Connection locker = ConnectionSpec.parse(s.jdbcUrl(db.name()), s.user(), s.password(), Map.of()).connect();
             Statement st = locker.createStatement()) {
            locker.setAutoCommit(false);
            st.execute("LOCK TABLE pg_catalog.pg_depend IN ACCESS EXCLUSIVE MODE");
            Recorder rec = new Recorder();
            AuditException e = assertThrows(AuditException.class, () -> new Auditor().runFull(quick, rec));
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            assertTrue(e.getMessage().startsWith("reading the catalog of ") && e.getMessage().contains("waited longer than --lock-timeout (300 ms)"),
                    e.getMessage());
            locker.rollback();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (shadowThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(shadowThreadAlive(), "the shadow side ended");
    }

    private static boolean shadowThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("driftwatch-shadow") && t.isAlive());
    }
}
