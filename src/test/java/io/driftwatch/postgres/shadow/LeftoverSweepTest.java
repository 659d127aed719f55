package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.base.Owner;
import io.driftwatch.base.Owner;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.flyway.Replayer;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, kill -9: {@code --shadow-url} databases and {@code driftwatch-replay-*} folders leaked for good.
 * They carry their owner (host, pid, start time) in their names now, and a later run removes those of
 * dead owners on this host, leaving live ones, other hosts' and untagged ones alone.
 */
class LeftoverSweepTest {

    /** @return the owner of a real process that has exited (its pid is free or reused) */
    static Owner deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long start = p.info().startInstant().map(java.time.Instant::getEpochSecond).orElse(0L);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Owner self = Owner.current();
        return new Owner(self.host(), p.pid(), start == 0 ? self.startSeconds() - 1000 : start);
    }

    @Test
    void tagsRoundTripAndTellDeadOwnersFromLiveOnes() throws Exception {
        Owner self = Owner.current();
        assertTrue(self.tag().matches("o[0-9a-f]{8}_[0-9]+_[0-9a-z]+"), self.tag());
        assertEquals(Optional.of(self), Owner.fromName("driftwatch-replay-" + self.tag() + "_123", "driftwatch-replay-"));
        assertEquals(Optional.of(self), ShadowDatabase.ownerOf("dw_rehearsal_expected_" + self.tag() + "_0a1b2c3d"));
        assertEquals(Optional.empty(), ShadowDatabase.ownerOf("dw_shadow_1a2b3c4d5e6f"), "an untagged (older) name");
        assertEquals(Optional.empty(), Owner.fromName("driftwatch-replay-8812345", "driftwatch-replay-"));
        assertFalse(self.deadHere());
        assertTrue(deadOwner().deadHere());
        assertTrue(new Owner(self.host(), self.pid(), self.startSeconds() + 3600).deadHere(), "pid reused");
        String otherHost = self.host().equals("00000000") ? "00000001" : "00000000";
        assertFalse(new Owner(otherHost, deadOwner().pid(), 1).deadHere(), "another host's run is not ours to judge");
    }

    @Test
    void deadOwnersFoldersAreRemovedOthersLeft(@TempDir Path tmp) throws Exception {
        String prefix = "driftwatch-replay-";
        Path dead = Files.createDirectories(tmp.resolve(prefix + deadOwner().tag() + "_77"));
        Files.writeString(dead.resolve("V1__x.sql"), "SELECT 1;");
        Path live = Files.createDirectories(tmp.resolve(prefix + Owner.current().tag() + "_78"));
        Path untagged = Files.createDirectories(tmp.resolve(prefix + "4242"));
        List<String> notes = new ArrayList<>();
        assertEquals(List.of(dead.getFileName().toString()), Owner.sweepFolders(tmp, prefix, notes::add));
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live) && Files.exists(untagged));
        assertEquals(List.of("removed 1 temporary folder left by runs that died on this host ("
                + dead.getFileName() + ")"), notes);
    }

    @Test
    void aReplayRemovesReplayFoldersOfDeadRunsAndNamesItsOwn(@TempDir Path dir) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = Files.createDirectories(tmp.resolve(Replayer.TEMP_PREFIX + deadOwner().tag() + "_5150"));
        Files.writeString(dir.resolve("V1__t.sql"), "CREATE TABLE t (id int);\n");
        ResolvedMigration v1 = new io.driftwatch.flyway.MigrationScanner().scan(List.of(dir), Map.of())
                .migrations().get(0);
        List<String> notes = new ArrayList<>();
        try {
            try (ShadowDatabase db = TestPostgres.newDatabase()) {
                new Replayer(notes::add).replay(db, List.of(v1), new ReplaySettings(List.of(), null, null, Map.of()));
            }
            assertFalse(Files.exists(dead), "the dead run's folder is gone");
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("removed ") && n.contains(dead.getFileName().toString())),
                    notes.toString());
        } finally {
            LocalPostgresServer.deleteTree(dead);
        }
    }

    @Test
    void openingAShadowUrlDropsDatabasesOfDeadRunsOnly() throws Exception {
        ShadowServer test = TestPostgres.server();
        String deadName = "dw_shadow_" + deadOwner().tag() + "_0badf00d";
        String liveName = "dw_verify_" + Owner.current().tag() + "_0c0ffee0";
        String oldName = "dw_shadow_5eed5eed5eed";
        try (Connection c = test.connect("postgres"); Statement s = c.createStatement()) {
            for (String n : List.of(deadName, liveName, oldName)) {
                s.execute("CREATE DATABASE " + n);
            }
        }
        try {
            ConnectionSpec url = ConnectionSpec.parse(test.jdbcUrl("postgres"), test.user(), test.password(), Map.of());
            List<String> notes = new ArrayList<>();
            try (ShadowServer server = ShadowProviders.open(new ShadowOptions(ShadowKind.URL, url, null, null),
                    notes::add)) {
                assertEquals("shadow: dropped 1 database left by a run that died on this host (" + deadName + ")",
                        notes.get(0));
                List<String> left = databases(server);
                assertFalse(left.contains(deadName), left.toString());
                assertTrue(left.contains(liveName) && left.contains(oldName), left.toString());
                try (ShadowDatabase mine = server.createDatabase("dw_shadow")) {
                    assertEquals(Optional.of(Owner.current()), ShadowDatabase.ownerOf(mine.name()), mine.name());
                }
            }
        } finally {
            try (Connection c = test.connect("postgres"); Statement s = c.createStatement()) {
                for (String n : List.of(deadName, liveName, oldName)) {
                    s.execute("DROP DATABASE IF EXISTS " + n);
                }
            }
        }
    }

    static List<String> databases(ShadowServer server) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
