import io.driftwatch.cache.ModelCache;
import io.driftwatch.cache.ReplayKey;
import io.driftwatch.model.SchemaFilter;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.snapshot.SnapshotCodec;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Times loading a cached expected model in a fresh JVM, for the "cache load" paragraph of
 * docs/benchmarks.md. Compile once against the application jar, then run each step as its own
 * process under the launcher's JVM flags and {@code /usr/bin/time -v} (peak RSS):
 *
 * <pre>
 *   javac -cp 'target/driftwatch.jar:target/lib/*' -d target/bench-classes bench/CacheLoad.java
 *   CP='target/driftwatch.jar:target/lib/*:target/bench-classes'
 *   FLAGS='-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1'
 *   java $FLAGS -cp "$CP" CacheLoad store SNAPSHOT.json CACHE_DIR   # write the entry (key of no scripts, PG 15)
 *   /usr/bin/time -v java $FLAGS -cp "$CP" CacheLoad load CACHE_DIR # time ModelCache.load
 *   /usr/bin/time -v java $FLAGS -cp "$CP" CacheLoad read SNAPSHOT.json   # SnapshotCodec.read (hash checked)
 *   java $FLAGS -cp "$CP" CacheLoad post CACHE_DIR SNAPSHOT.json   # the warm audit's steps after the load
 * </pre>
 *
 * {@code post} loads the cached model as the expected one and the snapshot as the actual one (the
 * same schema: a clean audit), then times each later step of {@code Auditor.runFull} and the JSON
 * and HTML reports (written to a temp folder), one line per step.
 *
 * <pre>
 * </pre>
 *
 * A snapshot of a 10,000-table database comes from {@code scripts/bench --sizes 10000 --keep} (its
 * {@code inspect} output) or {@code driftwatch inspect URL --out FILE}. Prints one line: what was
 * done, milliseconds inside the JVM, the model's table count and the heap in use after a full GC
 * (the retained model). Exit 1 when the entry is missing or unusable.
 */
public final class CacheLoad {

    /**
     * @param args {@code store SNAPSHOT DIR}, {@code load DIR}, {@code read SNAPSHOT} or {@code post DIR SNAPSHOT}
     * @throws Exception on a bad snapshot or an unwritable folder (a benchmark, not a user tool)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CacheLoad store SNAPSHOT DIR | load DIR | read SNAPSHOT | post DIR SNAPSHOT");
            System.exit(2);
        }
        ReplayKey key = ReplayKey.inputs("flyway", List.of(), List.of(), SchemaFilter.all(), List.of()).forMajor(15);
        long t0 = System.nanoTime();
        SchemaModel model;
        switch (args[0]) {
            case "store" -> {
                model = SnapshotCodec.read(Path.of(args[1]));
                ModelCache cache = new ModelCache(Path.of(args[2]));
                if (!cache.store(key, model, System.err::println)) {
                    System.exit(1);
                }
                System.out.printf("stored %s (%,d bytes)%n", cache.file(key), Files.size(cache.file(key)));
            }
            case "load" -> {
                Optional<SchemaModel> m = new ModelCache(Path.of(args[1])).load(key, System.err::println);
                if (m.isEmpty()) {
                    System.err.println("no usable entry for key " + key.shortHex());
                    System.exit(1);
                }
                model = m.get();
            }
            case "read" -> model = SnapshotCodec.read(Path.of(args[1]));
            case "post" -> {
                model = post(Path.of(args[1]), Path.of(args[2]));
            }
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("%s: %d ms, %,d tables, %d MiB heap retained%n", args[0], ms, model.tables().size(),
                heap >> 20);
    }

    private static long lap(String what, long since) {
        long now = System.nanoTime();
        System.out.printf("  %-34s %6d ms%n", what, (now - since) / 1_000_000);
        return System.nanoTime();
    }

    /** The steps of a clean warm audit after the cache load, timed one by one. */
    private static SchemaModel post(Path cacheDir, Path snapshot) throws Exception {
        ReplayKey key = ReplayKey.inputs("flyway", List.of(), List.of(), SchemaFilter.all(), List.of()).forMajor(15);
        long t = System.nanoTime();
        SchemaModel expected = new ModelCache(cacheDir).load(key, System.err::println).orElseThrow();
        t = lap("cache load (expected)", t);
        SchemaModel actual = SnapshotCodec.read(snapshot);
        t = lap("snapshot read (stands in for live)", t);
        List<io.driftwatch.diff.Change> changes = new io.driftwatch.diff.SchemaDiffer().diff(expected, actual);
        t = lap("SchemaDiffer.diff (" + changes.size() + " changes)", t);
        io.driftwatch.policy.Classifier classifier = new io.driftwatch.policy.Classifier();
        List<io.driftwatch.policy.Finding> findings = new java.util.ArrayList<>(classifier.drift(changes));
        findings.addAll(classifier.notAudited(actual.notAudited()));
        findings.sort(io.driftwatch.policy.Classifier.ORDER);
        t = lap("Classifier (" + findings.size() + " findings)", t);
        io.driftwatch.policy.AuditResult result = new io.driftwatch.policy.AuditResult("bench", java.time.Instant.now(), 0,
                new io.driftwatch.policy.AuditResult.Target("postgresql://bench", actual.serverVersion(), actual.schemas(),
                        actual.objectCount()),
                new io.driftwatch.policy.AuditResult.Expected(List.of("bench"), "public.flyway_schema_history", "none", 0, 0,
                        expected.objectCount()),
                findings, io.driftwatch.model.HistoryState.none(), io.driftwatch.policy.Severity.values()[0], List.of());
        Path out = Files.createTempDirectory("cacheload");
        new io.driftwatch.report.JsonReporter().write(result, out.resolve("report.json"));
        t = lap("JSON report", t);
        new io.driftwatch.report.HtmlReporter().write(result, out.resolve("report.html"));
        lap("HTML report", t);
        return expected;
    }
}
