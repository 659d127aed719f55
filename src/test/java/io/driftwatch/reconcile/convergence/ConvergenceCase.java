package io.driftwatch.reconcile.convergence;

import io.driftwatch.model.SchemaFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One folder of {@code fixtures/convergence/}: {@code a.sql} (start) and {@code b.sql} (target),
 * and optionally {@code read-options}: one option a line ({@code with-privileges},
 * {@code with-owners}; blank lines and {@code #} comments ignored) that make both sides be read
 * with {@link SchemaFilter#withAccess}.
 *
 * @param name        the folder name
 * @param a           DDL of the starting schema
 * @param b           DDL of the target schema
 * @param readOptions the options of {@code read-options}, empty when there is none
 */
public record ConvergenceCase(String name, String a, String b, List<String> readOptions) {

    /** The option names {@code read-options} may hold. */
    public static final List<String> READ_OPTIONS = List.of("with-privileges", "with-owners");

    public ConvergenceCase {
        readOptions = List.copyOf(readOptions);
        for (String o : readOptions) {
            if (!READ_OPTIONS.contains(o)) {
                throw new IllegalArgumentException("case " + name + ": unknown read option '" + o + "', expected one of "
                        + READ_OPTIONS);
            }
        }
    }

    /** A case read with {@link SchemaFilter#all()}. */
    public ConvergenceCase(String name, String a, String b) {
        this(name, a, b, List.of());
    }

    /** @return the filter both sides are read with: {@link SchemaFilter#all()} plus the read options */
    public SchemaFilter filter() {
        return SchemaFilter.all().withAccess(readOptions.contains("with-privileges"),
                readOptions.contains("with-owners"), Map.of());
    }

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
            Path options = dir.resolve("read-options");
            List<String> readOptions = !Files.isRegularFile(options) ? List.of()
                    : Files.readAllLines(options, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            return new ConvergenceCase(dir.getFileName().toString(),
                    Files.readString(dir.resolve("a.sql"), StandardCharsets.UTF_8),
                    Files.readString(dir.resolve("b.sql"), StandardCharsets.UTF_8), readOptions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read case " + dir, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
