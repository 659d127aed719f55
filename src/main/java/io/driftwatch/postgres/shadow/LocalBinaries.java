package io.driftwatch.postgres.shadow;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One installed set of PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}
 * in one directory) and its version.
 *
 * @param binDir  directory holding the binaries (symlinks resolved)
 * @param version full version, e.g. {@code 15.18}
 * @param major   major version, e.g. 15
 */
record LocalBinaries(Path binDir, String version, int major) {

    /** Where {@link #discover} looks, for messages. */
    static final String SEARCHED = "PG_BIN, PATH, /usr/lib/postgresql/*/bin";

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    /**
     * Finds binaries in {@code PG_BIN}, then each {@code PATH} entry holding {@code initdb}, then
     * {@code /usr/lib/postgresql/*}{@code /bin}; duplicates (same real directory) are dropped.
     *
     * @param env environment variables
     * @return found binaries in search order, possibly empty
     */
    static List<LocalBinaries> discover(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>();
        String pgBin = env.get("PG_BIN");
        if (pgBin != null && !pgBin.isBlank()) {
            addDir(dirs, Path.of(pgBin.trim()));
        }
        String path = env.get("PATH");
        if (path != null) {
            for (String p : path.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    addDir(dirs, Path.of(p));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(debian)) {
                List<Path> majors = new ArrayList<>();
                ds.forEach(majors::add);
                majors.sort(Comparator.naturalOrder());
                for (Path m : majors) {
                    addDir(dirs, m.resolve("bin"));
                }
            } catch (IOException ignored) {
                // unreadable directory: nothing found there
            }
        }
        List<LocalBinaries> found = new ArrayList<>();
        for (Path d : dirs) {
            probe(d).ifPresent(found::add);
        }
        return found;
    }

    /**
     * @param found       candidates in search order
     * @param targetMajor preferred major, or null
     * @return the first candidate of the target's major, else the newest, else empty
     */
    static Optional<LocalBinaries> choose(List<LocalBinaries> found, Integer targetMajor) {
        if (targetMajor != null) {
            for (LocalBinaries b : found) {
                if (b.major() == targetMajor) {
                    return Optional.of(b);
                }
            }
        }
        LocalBinaries best = null;
        for (LocalBinaries b : found) {
            if (best == null || b.major() > best.major()) {
                best = b;
            }
        }
        return Optional.ofNullable(best);
    }

    /** @return path of one binary in {@link #binDir()} */
    Path tool(String name) {
        return binDir.resolve(name);
    }

    private static void addDir(Set<Path> dirs, Path dir) {
        Path initdb = dir.resolve("initdb");
        if (Files.isExecutable(initdb)) {
            try {
                // /usr/local/bin/initdb may be a symlink into the real bin directory
                Path real = initdb.toRealPath().getParent();
                if (Files.isExecutable(real.resolve("pg_ctl")) && Files.isExecutable(real.resolve("postgres"))) {
                    dirs.add(real);
                }
            } catch (IOException ignored) {
                // dangling link: skip
            }
        }
    }

    private static Optional<LocalBinaries> probe(Path dir) {
        try {
            Process p = new ProcessBuilder(dir.resolve("postgres").toString(), "--version")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                return Optional.empty();
            }
            String version = m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
            return Optional.of(new LocalBinaries(dir, version, Integer.parseInt(m.group(1))));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
