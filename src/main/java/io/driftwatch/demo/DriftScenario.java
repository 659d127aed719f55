package io.driftwatch.demo;

import io.driftwatch.tool.MigrationException;
import io.driftwatch.flyway.MigrationScanner;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.flyway.ReplaySettings;
import io.driftwatch.flyway.Replayer;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.flyway.Versions;
import io.driftwatch.dialect.ShadowDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A drift scenario folder ({@code fixtures/<project>/drift/<name>/}, format in
 * {@code fixtures/README.md}): how to bring a freshly migrated database into a drifted state, and
 * the findings an audit must then report.
 *
 * @param name             folder name
 * @param dir              the folder
 * @param description      one line from {@code description.txt}, or empty
 * @param migrateTarget    version to migrate up to before the drift ({@code migrate-target}), or null for all
 * @param expectedFindings lines of {@code expected-findings.txt} ({@code <RULE_ID> <object>}), comments and blanks dropped
 */
public record DriftScenario(String name, Path dir, String description, String migrateTarget,
                            List<String> expectedFindings) {

    public DriftScenario {
        expectedFindings = List.copyOf(expectedFindings);
    }

    /**
     * @param dir a scenario folder
     * @return the scenario
     * @throws IOException when a file cannot be read
     */
    public static DriftScenario load(Path dir) throws IOException {
        String description = readOptional(dir.resolve("description.txt"));
        String target = readOptional(dir.resolve("migrate-target"));
        List<String> expected = new ArrayList<>();
        Path ef = dir.resolve("expected-findings.txt");
        if (Files.exists(ef)) {
            for (String line : Files.readAllLines(ef, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    expected.add(l);
                }
            }
        }
        return new DriftScenario(dir.getFileName().toString(), dir, description,
                target.isEmpty() ? null : target, expected);
    }

    /**
     * @param project a fixture project folder ({@code fixtures/shop})
     * @return its scenarios ({@code drift/*}), sorted by name
     * @throws IOException when the folder cannot be listed
     */
    public static List<DriftScenario> all(Path project) throws IOException {
        List<DriftScenario> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(project.resolve("drift"))) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(load(d));
            }
        }
        return out;
    }

    /**
     * Brings {@code db} into this scenario's drifted state: migrates it with Flyway from
     * {@code migrations} (up to {@link #migrateTarget()}), runs {@code drift.sql}, and prepares the
     * migrations folder the audit must read (a copy in {@code workDir} with {@code edits/} applied
     * and {@code removed.txt} scripts deleted with their {@code .conf} sidecars, or {@code migrations} itself when there are none).
     *
     * @param db           database to migrate and drift (must be empty)
     * @param migrations   the project's migrations folder
     * @param placeholders Flyway placeholders
     * @param workDir      scratch folder for the edited copy
     * @return the migrations folder to audit against
     * @throws IOException, SQLException, MigrationException, ReplayException as the steps fail
     */
    public Path apply(ShadowDatabase db, Path migrations, Map<String, String> placeholders, Path workDir)
            throws IOException, SQLException, MigrationException, ReplayException {
        MigrationSet set = new MigrationScanner().scan(List.of(migrations), placeholders);
        List<ResolvedMigration> scripts = new ArrayList<>();
        for (ResolvedMigration m : set.versioned()) {
            if (migrateTarget == null || Versions.compare(m.version(), migrateTarget) <= 0) {
                scripts.add(m);
            }
        }
        scripts.addAll(set.repeatables());
        new Replayer().replay(db, scripts, new ReplaySettings(List.of(), null, "flyway_schema_history", placeholders));

        Path driftSql = dir.resolve("drift.sql");
        if (Files.exists(driftSql)) {
            String sql = Files.readString(driftSql, StandardCharsets.UTF_8);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        Path edits = dir.resolve("edits");
        Path removed = dir.resolve("removed.txt");
        if (!Files.isDirectory(edits) && !Files.exists(removed)) {
            return migrations;
        }
        Path copy = workDir.resolve(name + "-migrations");
        copyTree(migrations, copy);
        if (Files.isDirectory(edits)) {
            try (Stream<Path> files = Files.walk(edits)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path dest = findByName(copy, f.getFileName().toString());
                    Files.copy(f, dest != null ? dest : copy.resolve(f.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (Files.exists(removed)) {
            for (String line : Files.readAllLines(removed, StandardCharsets.UTF_8)) {
                String n = line.strip();
                if (!n.isEmpty() && !n.startsWith("#")) {
                    Path f = findByName(copy, n);
                    if (f == null) {
                        throw new IOException(removed + ": no script named " + n);
                    }
                    Files.delete(f);
                    Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".conf"));
                }
            }
        }
        return copy;
    }

    private static Path findByName(Path root, String fileName) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals(fileName)).findFirst().orElse(null);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static String readOptional(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).strip() : "";
    }
}
