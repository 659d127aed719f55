package io.driftwatch.alembic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python interpreter that can {@code import alembic, sqlalchemy}.
 *
 * <p>Candidates, in order: the one the user named ({@code --python PATH}; a bare name is looked up on
 * {@code PATH}) and only it; otherwise {@code python3} on {@code PATH}, then {@code /usr/bin/python3}
 * (Debian's, where {@code python3-alembic} installs). Each candidate is probed at most once per
 * {@link #locate} call (the same real file under two names counts once) by running
 * {@code python -c "import alembic, sqlalchemy ..."} with a timeout; the first that succeeds wins.
 */
public final class PythonLocator {

    /** The fallback after {@code python3} on PATH: Debian's interpreter. */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    private static final String PROBE = String.join("\n",
            "import json, sys",
            "out = {'python': '%d.%d.%d' % sys.version_info[:3]}",
            "try:",
            "    import alembic, sqlalchemy",
            "except BaseException as e:",
            "    print(json.dumps({'error': '%s: %s' % (type(e).__name__, e)}))",
            "    sys.exit(3)",
            "out['alembic'] = getattr(alembic, '__version__', '?')",
            "out['sqlalchemy'] = getattr(sqlalchemy, '__version__', '?')",
            "for name in ('psycopg2', 'psycopg'):",
            "    try:",
            "        m = __import__(name)",
            "        out[name] = str(getattr(m, '__version__', '?')).split()[0]",
            "    except BaseException:",
            "        out[name] = None",
            "print(json.dumps(out))",
            "");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final Duration timeout;

    /**
     * @param env     the environment whose {@code PATH} is searched (usually {@code System.getenv()})
     * @param timeout how long one probe may take (a cold interpreter importing SQLAlchemy: ~0.5 s)
     */
    public PythonLocator(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /**
     * One candidate tried.
     *
     * @param candidate   as named ({@code python3}, {@code /usr/bin/python3}, the user's {@code --python})
     * @param resolved    the file it resolved to, or null when none was found
     * @param interpreter the probe's result when it can import Alembic, else null
     * @param detail      why it was not used ({@code not found}, {@code not on PATH},
     *                    {@code ModuleNotFoundError: No module named 'alembic'}, {@code timed out after 5 s}, ...),
     *                    null when it was
     */
    public record Probe(String candidate, Path resolved, PythonInterpreter interpreter, String detail) {
        /** @return one line: {@code python3 (/root/.pyenv/shims/python3: ModuleNotFoundError: ...)} */
        public String describe() {
            if (interpreter != null) {
                return candidate + " (" + interpreter.describe() + ")";
            }
            if (resolved == null || resolved.toString().equals(candidate)) {
                return candidate + " (" + detail + ")";
            }
            return candidate + " (" + resolved + ": " + detail + ")";
        }
    }

    /**
     * The result of a search.
     *
     * @param interpreter the first candidate that can import Alembic, if any
     * @param probes      every candidate tried, in order
     */
    public record Result(Optional<PythonInterpreter> interpreter, List<Probe> probes) {
        /** Copies the list. */
        public Result {
            probes = List.copyOf(probes);
        }

        /**
         * @return null when found, else one line:
         * {@code no Python with Alembic found: tried python3 (...), /usr/bin/python3 (...); install python3-alembic or pass --python}
         */
        public String failureMessage() {
            if (interpreter.isPresent()) {
                return null;
            }
            List<String> tried = new ArrayList<>();
            for (Probe p : probes) {
                tried.add(p.describe());
            }
            return "no Python with Alembic found: tried " + String.join(", ", tried)
                    + "; install python3-alembic or pass --python";
        }

        /**
         * @return the interpreter
         * @throws AlembicException kind {@code python} with {@link #failureMessage()} when none was found
         */
        public PythonInterpreter require() throws AlembicException {
            if (interpreter.isPresent()) {
                return interpreter.get();
            }
            throw new AlembicException("python", failureMessage(), null);
        }
    }

    /**
     * Probes the candidates (see the class comment).
     *
     * @param explicit the user's {@code --python} (a path or a name on PATH), or null for the defaults
     * @return the interpreter found, and every probe
     */
    public Result locate(String explicit) {
        List<String> candidates = explicit != null && !explicit.isBlank()
                ? List.of(explicit.trim())
                : List.of("python3", DEBIAN_PYTHON.toString());
        List<Probe> probes = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (String candidate : candidates) {
            Path file = resolve(candidate);
            if (file == null) {
                probes.add(new Probe(candidate, null, null, candidate.contains("/") ? "not found" : "not on PATH"));
                continue;
            }
            Path real;
            try {
                real = file.toRealPath();
            } catch (IOException e) {
                real = file;
            }
            if (!seen.add(real)) {
                continue;
            }
            Probe p = probe(candidate, file);
            probes.add(p);
            if (p.interpreter() != null) {
                return new Result(Optional.of(p.interpreter()), probes);
            }
        }
        return new Result(Optional.empty(), probes);
    }

    private Path resolve(String candidate) {
        if (candidate.contains("/") || candidate.contains(File.separator)) {
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            return Files.exists(p) ? p : null;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir).resolve(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private Probe probe(String candidate, Path file) {
        if (Files.isDirectory(file)) {
            return new Probe(candidate, file, null, "a directory, not an interpreter");
        }
        if (!Files.isExecutable(file)) {
            return new Probe(candidate, file, null, "not executable");
        }
        Path out = null;
        Process process = null;
        try {
            out = Files.createTempFile("driftwatch-python-probe", ".out");
            ProcessBuilder pb = new ProcessBuilder(file.toString(), "-c", PROBE)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Probe(candidate, file, null, "timed out after " + seconds(timeout));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1).strip();
            JsonNode node = null;
            if (last.startsWith("{")) {
                try {
                    node = JSON.readTree(last);
                } catch (IOException ignored) {
                    node = null;
                }
            }
            if (node != null && node.hasNonNull("error")) {
                return new Probe(candidate, file, null, oneLine(node.get("error").asText()));
            }
            if (process.exitValue() != 0 || node == null || !node.hasNonNull("alembic")) {
                return new Probe(candidate, file, null, "exit code " + process.exitValue()
                        + (text.isEmpty() ? "" : ": " + oneLine(text)));
            }
            PythonInterpreter interpreter = new PythonInterpreter(file, text(node, "python"), text(node, "alembic"),
                    text(node, "sqlalchemy"), text(node, "psycopg2"), text(node, "psycopg"));
            return new Probe(candidate, file, interpreter, null);
        } catch (IOException e) {
            return new Probe(candidate, file, null, "cannot run: " + oneLine(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            return new Probe(candidate, file, null, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static void kill(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String oneLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        // Python puts the exception last: keep the last line of a traceback
        String line = nl >= 0 ? t.substring(nl + 1).strip() : t;
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
