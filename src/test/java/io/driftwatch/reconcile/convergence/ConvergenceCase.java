package io.driftwatch.reconcile.convergence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One folder of {@code fixtures/convergence/}: {@code a.sql} (start) and {@code b.sql} (target).
 *
 * @param name the folder name
 * @param a    DDL of the starting schema
 * @param b    DDL of the target schema
 */
public record ConvergenceCase(String name, String a, String b) {

    /** The fixture root, relative to the project directory Maven runs tests in. */
    public static final Path ROOT = Path.of("fixtures", "convergence");

    /** @return true when a and b are the same text (the plan must then be empty) */
    public boolean identical() {
        return a.equals(b);
    }

    /**
     * @param root folder holding one sub-folder per case
     * @return every case with both scripts, sorted by name
     */
    public static List<ConvergenceCase> all(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> Files.isRegularFile(d.resolve("a.sql")) && Files.isRegularFile(d.resolve("b.sql")))
                    .sorted()
                    .map(ConvergenceCase::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.toAbsolutePath(), e);
        }
    }

    /**
     * @param dir a case folder
     * @return the case
     */
    public static ConvergenceCase load(Path dir) {
        try {
            return new ConvergenceCase(dir.getFileName().toString(),
                    Files.readString(dir.resolve("a.sql"), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve("b.sql"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read case " + dir, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
