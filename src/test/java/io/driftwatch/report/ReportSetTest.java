package io.driftwatch.report;

import io.driftwatch.base.OutputWriteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportSetTest {

    static final List<String> OWNED = List.of("report.json", "report.html", "report.txt");

    static ReportSet.Entry entry(String name, String text) {
        return new ReportSet.Entry(name, p -> Files.writeString(p, text, StandardCharsets.UTF_8));
    }

    /** @return the folder's files, sorted, as {@code name=content} (the lock file by name only) */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().map(p -> {
                String name = p.getFileName().toString();
                try {
                    return name.equals(ReportSet.LOCK_FILE) ? name : name + "=" + Files.readString(p);
                } catch (IOException e) {
                    return name + " unreadable";
                }
            }).toList();
        }
    }

    @Test
    void writesTheSetAndRemovesOwnedFilesItDidNotWrite(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("report.txt"), "old run");
        Files.writeString(dir.resolve("notes.md"), "not ours");
        List<Path> written = ReportSet.write(dir, List.of(entry("report.json", "{run 2}"), entry("report.html", "<2>")),
                OWNED);
        assertEquals(List.of(dir.resolve("report.json"), dir.resolve("report.html")), written);
        assertEquals(List.of(".driftwatch.lock", "notes.md=not ours", "report.html=<2>", "report.json={run 2}"),
                listing(dir));
    }

    /** issue 14: a failure after report.json was written left it, complete and "clean", beside no report.html */
    @Test
    void failureMidWayLeavesNoReportAtAllAndNoTemporaryFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("report.json"), "{previous run: clean}");
        Files.writeString(dir.resolve("report.html"), "<previous run>");
        Files.writeString(dir.resolve("keep.txt"), "not ours");
        OutputWriteException e = assertThrows(OutputWriteException.class, () -> ReportSet.write(dir, List.of(
                entry("report.json", "{new: clean}"),
                new ReportSet.Entry("report.html", p -> {
                    Files.writeString(p, "<half");
                    throw new IOException("No space left on device");
                })), OWNED));
        assertEquals("cannot write " + dir + ": No space left on device", e.getMessage());
        assertEquals(List.of(".driftwatch.lock", "keep.txt=not ours"), listing(dir));
    }

    @Test
    void aFolderThatCannotBeCreatedIsAnOutputError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("plain-file"), "x");
        OutputWriteException e = assertThrows(OutputWriteException.class, () -> ReportSet.write(
                dir.resolve("plain-file/reports"), List.of(entry("report.json", "{}")), OWNED));
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("plain-file/reports") + ": "),
                e.getMessage());
    }

    /**
     * Run A writes report.json, then (held on a latch) run B writes and swaps its whole set, then A
     * finishes: the folder holds A's set, whole; written in place file by file it held A's json beside
     * B's html... or the other way round.
     */
    @Test
    @Timeout(60)
    void overlappingRunsLeaveOneRunsSetWhole(@TempDir Path dir) throws Exception {
        CountDownLatch aWroteJson = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<Path>> a = pool.submit(() -> ReportSet.write(dir, List.of(
                    new ReportSet.Entry("report.json", p -> {
                        Files.writeString(p, "A");
                        aWroteJson.countDown();
                        try {
                            assertTrue(bDone.await(30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }),
                    entry("report.html", "A")), OWNED));
            assertTrue(aWroteJson.await(30, TimeUnit.SECONDS));
            Future<List<Path>> b = pool.submit(() -> ReportSet.write(dir,
                    List.of(entry("report.json", "B"), entry("report.html", "B"), entry("report.txt", "B")), OWNED));
            b.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(".driftwatch.lock", "report.html=B", "report.json=B", "report.txt=B"),
                    listing(dir).stream().filter(f -> !f.startsWith(".driftwatch-reports-")).toList(),
                    "B's set (A's temporary folder aside)");
            bDone.countDown();
            a.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(".driftwatch.lock", "report.html=A", "report.json=A"), listing(dir),
                    "A swapped last: its set, and B's report.txt is gone");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void manyConcurrentRunsNeverMixTheirFiles(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Path>>> runs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "run" + i;
                List<ReportSet.Entry> set = i % 2 == 0
                        ? List.of(entry("report.json", id), entry("report.html", id))
                        : List.of(entry("report.json", id), entry("report.html", id), entry("report.txt", id));
                runs.add(pool.submit(() -> ReportSet.write(dir, set, OWNED)));
            }
            for (Future<List<Path>> f : runs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> files = listing(dir);
        String id = Files.readString(dir.resolve("report.json"));
        boolean even = Integer.parseInt(id.substring(3)) % 2 == 0;
        assertEquals(even ? List.of(".driftwatch.lock", "report.html=" + id, "report.json=" + id)
                : List.of(".driftwatch.lock", "report.html=" + id, "report.json=" + id, "report.txt=" + id), files);
        assertFalse(files.stream().anyMatch(f -> f.startsWith(".driftwatch-reports-")));
    }
}
