package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, output that cannot be written: {@code --out} naming a file (exit 2), a folder that cannot be
 * created or a full disk (exit 6, no report at all, the previous set removed), and runs sharing
 * {@code --out} (one run's set, whole). Real files, a real full file system (a 64 KiB tmpfs), real processes.
 */
class OutputCommandTest {

    static ShadowDatabase migrated;
    static Path migrations;

    @BeforeAll
    static void migrate(@TempDir Path dir) throws Exception {
        migrations = dir.resolve("sql");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__account.sql"), AuditCommandTest.V1, StandardCharsets.UTF_8);
        Files.writeString(migrations.resolve("V2__account_email_idx.sql"), AuditCommandTest.V2, StandardCharsets.UTF_8);
        migrated = TestPostgres.newDatabase();
        ShadowServer s = TestPostgres.server();
        Flyway.configure().dataSource(s.jdbcUrl(migrated.name()), s.user(), s.password())
                .locations("filesystem:" + migrations).load().migrate();
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    static String[] args(Path out, String... extra) {
        ShadowServer s = TestPostgres.server();
        List<String> a = new ArrayList<>(List.of("audit", "--url", s.jdbcUrl(migrated.name()), "--user", s.user(),
                "--password", s.password(), "--migrations", migrations.toString(), "--shadow", "url",
                "--shadow-url", AuditCommandTest.withCredentials(s.jdbcUrl("postgres")), "--no-cache",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void outNamingAFileIsExitTwoAndTheFileIsLeftAlone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reports.txt");
        Files.writeString(file, "mine");
        CliRun r = CliRun.of(args(file));
        AuditCommandTest.assertOneLineError(r, 2, "--out " + file + " is a file, not a folder; give a folder");
        assertEquals("mine", Files.readString(file));
    }

    /** issue 14: was exit 70 "internal error" */
    @Test
    void outThatCannotBeCreatedIsExitSix(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        Path out = dir.resolve("plain/reports");
        CliRun r = CliRun.of(args(out));
        AuditCommandTest.assertOneLineError(r, 6, "driftwatch: cannot write " + out + ": ");
        assertFalse(r.err().contains("internal error"), r.err());
    }

    /**
     * issue 14: on a full disk report.json was written (complete, "clean"), report.html failed, and the run
     * exited 70. Now: exit 6, no report at all, and the previous run's set is gone too.
     */
    @Test
    @Timeout(120)
    void fullDiskIsExitSixAndLeavesNoReport(@TempDir Path dir) throws Exception {
        Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString());
        try {
            Path out = mount.resolve("out");
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.json"), "{\"status\" : \"clean\", \"previous\" : true}");
            Files.writeString(out.resolve("report.html"), "<html>previous</html>");
            // leave room for report.json (a few KiB) but not for report.html (tens of KiB)
            long free = Files.getFileStore(mount).getUsableSpace();
            Files.write(mount.resolve("filler"), new byte[(int) Math.max(0, free - 12 * 1024)]);

            CliRun r = CliRun.of(args(out));
            AuditCommandTest.assertOneLineError(r, 6, "driftwatch: cannot write " + out);
            assertTrue(r.err().contains("No space left on device"), r.err());
            assertEquals(List.of(".driftwatch.lock"), names(out), "no report, old or half new");
        } finally {
            run("umount", mount.toString());
        }
    }

    /**
     * Two processes share {@code --out}: the first writes json and html, the second (started at the same
     * time, slower: it also runs the lint pack) only json. Written file by file, the second run's
     * report.json ended up beside the first run's report.html; now the folder holds the second run's set.
     */
    @Test
    @Timeout(300)
    void concurrentRunsSharingOutLeaveOneRunsSetWhole(@TempDir Path out) throws Exception {
        Process fast = start(out.resolve("fast.log"), args(out, "--format", "json,html"));
        Process slow = start(out.resolve("slow.log"), args(out, "--format", "json", "--lint"));
        assertTrue(fast.waitFor(240, TimeUnit.SECONDS) && slow.waitFor(240, TimeUnit.SECONDS), "runs finished");
        assertEquals(0, fast.exitValue(), Files.readString(out.resolve("fast.log")));
        assertEquals(0, slow.exitValue(), Files.readString(out.resolve("slow.log")));
        List<String> reports = names(out).stream().filter(n -> n.startsWith("report.")).toList();
        String json = Files.readString(out.resolve("report.json"));
        String started = match("\"startedAt\" : \"([^\"]+)\"", json);
        if (reports.contains("report.html")) {
            // the fast run swapped last (the slow one was quicker than planned): its set, whole
            assertEquals(started, match("<time datetime=\"([^\"]+)\"", Files.readString(out.resolve("report.html"))),
                    "report.html is from the run of report.json");
            assertEquals(List.of("report.html", "report.json"), reports);
        } else {
            assertEquals(List.of("report.json"), reports, "the slow run swapped last: its set, json only");
        }
        assertFalse(names(out).stream().anyMatch(n -> n.startsWith(".driftwatch-reports-")));
    }

    static String match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in " + text.substring(0, Math.min(400, text.length())));
        return m.group(1);
    }

    static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "io.driftwatch.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + output);
    }
}
