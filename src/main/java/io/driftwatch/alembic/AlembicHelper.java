package io.driftwatch.alembic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Driftwatch's Alembic helper ({@value #RESOURCE}, shipped in the jar) with a {@link PythonInterpreter}
 * and turns its JSON into records.
 *
 * <p>{@link #open} writes the helper to a private temporary folder (owner-only), {@link #close} removes
 * it. Each call starts one Python process: working directory the project folder, {@code PYTHONPATH}
 * starting with it (so env.py's imports of the application work), {@code PYTHONDONTWRITEBYTECODE=1} (no
 * {@code __pycache__} in the user's project). A database URL (a SQLAlchemy URL, see {@link SqlAlchemyUrl})
 * is passed in the environment variable {@value #URL_ENV}, never on the command line; the helper hands it
 * to env.py as {@code sqlalchemy.url} and {@code DATABASE_URL}. Passwords are masked in everything this
 * class returns or throws. The helper's stderr (Alembic's log, env.py's prints) is kept only as the tail
 * of an error.
 *
 * <p>Errors: every method throws {@link AlembicException} with the helper's kind, one-line message and
 * the revision concerned; {@code timeout} when the process ran past the timeout (it and its children
 * are killed), {@code protocol} when it wrote no JSON.
 */
public final class AlembicHelper implements AutoCloseable {

    /** The helper script's classpath resource. */
    public static final String RESOURCE = "/io/driftwatch/alembic/driftwatch_alembic.py";
    /** The environment variable the helper reads the database URL from. */
    public static final String URL_ENV = "DRIFTWATCH_ALEMBIC_URL";
    /** The helper protocol this class reads. */
    public static final int PROTOCOL = 1;

    private static final int STDERR_TAIL = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PythonInterpreter python;
    private final Duration timeout;
    private final Path dir;
    private final Path script;
    private final Map<String, String> baseEnv;

    private AlembicHelper(PythonInterpreter python, Duration timeout, Path dir, Path script, Map<String, String> env) {
        this.python = python;
        this.timeout = timeout;
        this.dir = dir;
        this.script = script;
        this.baseEnv = env;
    }

    /**
     * Extracts the helper and prepares to run it.
     *
     * @param python  the interpreter (from {@link PythonLocator})
     * @param timeout how long one helper run may take (an upgrade of a few hundred revisions: minutes)
     * @param env     the environment the helper runs with (usually {@code System.getenv()});
     *                {@code DATABASE_URL} and {@value #URL_ENV} in it are dropped
     * @return the helper; close it to delete the extracted script
     * @throws AlembicException kind {@code io} when the script cannot be written
     */
    public static AlembicHelper open(PythonInterpreter python, Duration timeout, Map<String, String> env)
            throws AlembicException {
        try (InputStream in = AlembicHelper.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AlembicException("io", "the Alembic helper " + RESOURCE + " is missing from the classpath", null);
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("driftwatch-alembic",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                dir = Files.createTempDirectory("driftwatch-alembic");
            }
            Path script = dir.resolve("driftwatch_alembic.py");
            Files.write(script, in.readAllBytes());
            return new AlembicHelper(python, timeout, dir, script, Map.copyOf(env));
        } catch (IOException e) {
            throw new AlembicException("io", "cannot write the Alembic helper to a temporary folder: " + e.getMessage(), e);
        }
    }

    /** @return the interpreter the helper runs with */
    public PythonInterpreter python() {
        return python;
    }

    /**
     * The project's configuration and revision graph, as Alembic's {@code ScriptDirectory} builds it.
     * Imports every revision file; connects to no database.
     *
     * @param config      the configuration
     * @param currentRows the version table's rows to evaluate ({@link AlembicProject#state()}), or null for none
     * @return the project; a broken graph is data ({@link AlembicProject#graphOk()} false, {@code graphErrors})
     * @throws AlembicException kinds {@code config} (no such file, section or script_location), {@code script}
     *                          (a revision file cannot be imported; path and line set), {@code python},
     *                          {@code timeout}, {@code protocol}, {@code io}
     */
    public AlembicProject inspect(AlembicConfig config, List<String> currentRows) throws AlembicException {
        List<String> args = new ArrayList<>(common("inspect", config));
        if (currentRows != null) {
            args.add("--current");
            args.addAll(currentRows);
        }
        JsonNode r = run(args, config, null);
        return project(r, config.projectDir());
    }

    /**
     * Alembic's {@code command.upgrade} to the targets, in one run (several targets are walked together,
     * as {@code alembic upgrade heads} walks several heads), then the version table as it ends up.
     *
     * @param config  the configuration
     * @param url     SQLAlchemy URL of the database to upgrade (a shadow; never the audited database)
     * @param targets revision ids, {@code heads}, {@code head}, or labels Alembic accepts ({@code label@head})
     * @return applied revisions in order and the rows afterwards
     * @throws AlembicException kind {@code revision} with the revision, file, line, phase, failing SQL and
     *                          the Python error; {@code target} (unknown target), {@code graph}, {@code script},
     *                          {@code env} (env.py failed outside a revision), {@code database} (cannot connect),
     *                          {@code config}, {@code timeout}, {@code protocol}, {@code io}
     */
    public AlembicRun upgrade(AlembicConfig config, String url, List<String> targets) throws AlembicException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no upgrade target");
        }
        List<String> args = new ArrayList<>(common("upgrade", config));
        args.add("--");
        args.addAll(targets);
        return run(run(args, config, url));
    }

    /**
     * Alembic's {@code command.stamp}: writes the version rows {@code alembic stamp REV...} writes (merge-aware:
     * stamping a merge revision replaces the rows of the branches it merges), runs no revision.
     *
     * @param config    the configuration
     * @param url       SQLAlchemy URL of the database (a shadow clone)
     * @param revisions the revisions to stamp
     * @param purge     {@code --purge}: empty the version table first
     * @return rows before and after, and the statements Alembic executed
     * @throws AlembicException as {@link #upgrade}
     */
    public AlembicRun stamp(AlembicConfig config, String url, List<String> revisions, boolean purge)
            throws AlembicException {
        if (revisions.isEmpty()) {
            throw new IllegalArgumentException("no revision to stamp");
        }
        List<String> args = new ArrayList<>(common("stamp", config));
        if (purge) {
            args.add("--purge");
        }
        args.add("--");
        args.addAll(revisions);
        return run(run(args, config, url));
    }

    /**
     * The version table's rows through Alembic ({@code MigrationContext.get_current_heads}, env.py run with
     * {@code dont_mutate}: it creates no version table), with the table name env.py configures. Runs the
     * user's env.py, which may do anything: use it on shadows, not on the audited database.
     *
     * @param config the configuration
     * @param url    SQLAlchemy URL of the database
     * @return the rows, the effective version table and whether it exists
     * @throws AlembicException as {@link #upgrade}
     */
    public AlembicRun current(AlembicConfig config, String url) throws AlembicException {
        return run(run(common("current", config), config, url));
    }

    /** Deletes the extracted helper. Idempotent. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static List<String> common(String command, AlembicConfig config) {
        return List.of(command, "--config", config.iniFile().toString(), "--name", config.section(),
                "--project-dir", config.projectDir().toString());
    }

    private JsonNode run(List<String> args, AlembicConfig config, String url) throws AlembicException {
        Masker masker = new Masker(url);
        List<String> cmd = new ArrayList<>();
        cmd.add(python.executable().toString());
        cmd.add(script.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.projectDir().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnv);
        env.remove("DATABASE_URL");
        env.remove(URL_ENV);
        String pythonPath = baseEnv.get("PYTHONPATH");
        env.put("PYTHONPATH", config.projectDir() + (pythonPath == null || pythonPath.isEmpty()
                ? "" : java.io.File.pathSeparator + pythonPath));
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        if (url != null) {
            env.put(URL_ENV, url);
        }
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile(dir, "out", ".json");
            err = Files.createTempFile(dir, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = pb.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                PythonLocator.kill(process);
                throw new AlembicException("alembic " + args.get(0) + " timed out after "
                        + PythonLocator.seconds(timeout) + " (killed)",
                        new AlembicException.Details("timeout", null, null, null, null, null, null, null, null,
                                tail(masker, err)));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            String stderr = tail(masker, err);
            JsonNode node = null;
            if (!stdout.isEmpty()) {
                try {
                    node = JSON.readTree(stdout);
                } catch (IOException e) {
                    node = null;
                }
            }
            if (node == null || !node.isObject() || !node.has("ok")) {
                throw new AlembicException("the Alembic helper wrote no result (exit code " + process.exitValue()
                        + ")" + (stderr == null || stderr.isBlank() ? "" : ": " + PythonLocator.oneLine(stderr)),
                        new AlembicException.Details("protocol", null, null, null, null, null, null, null, null, stderr));
            }
            if (!node.path("ok").asBoolean()) {
                throw error(node.path("error"), masker, stderr);
            }
            int protocol = node.path("protocol").asInt(-1);
            if (protocol != PROTOCOL) {
                throw new AlembicException("the Alembic helper speaks protocol " + protocol + ", expected " + PROTOCOL,
                        new AlembicException.Details("protocol", null, null, null, null, null, null, null, null, stderr));
            }
            return node;
        } catch (IOException e) {
            throw new AlembicException("io", "cannot run " + python.executable() + ": " + masker.mask(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            PythonLocator.kill(process);
            throw new AlembicException("io", "interrupted while Alembic ran", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static AlembicException error(JsonNode e, Masker masker, String stderr) {
        List<AlembicProject.GraphError> graphErrors = graphErrors(e.path("graph_errors"));
        Integer line = e.hasNonNull("line") ? e.get("line").asInt() : null;
        AlembicException.Details d = new AlembicException.Details(text(e, "kind"), text(e, "revision"),
                text(e, "path"), line, text(e, "phase"), masker.mask(text(e, "sql")), strings(e.path("ran_before")),
                graphErrors, masker.mask(text(e, "traceback")), stderr);
        String message = masker.mask(text(e, "message"));
        return new AlembicException(message == null ? "the Alembic helper failed" : PythonLocator.oneLine(message), d);
    }

    private static AlembicProject project(JsonNode r, Path projectDir) {
        JsonNode v = r.path("versions");
        List<AlembicRevision> revisions = new ArrayList<>();
        for (JsonNode n : r.path("revisions")) {
            revisions.add(new AlembicRevision(text(n, "revision"), strings(n.path("down_revisions")),
                    strings(n.path("depends_on")), nullableStrings(n.path("resolved_depends_on")),
                    strings(n.path("branch_labels")), nullableStrings(n.path("branches")), text(n, "path"),
                    text(n, "doc"), n.path("is_head").asBoolean(), n.path("is_base").asBoolean(),
                    n.path("is_merge_point").asBoolean(), n.path("is_branch_point").asBoolean()));
        }
        AlembicState state = null;
        JsonNode s = r.path("state");
        if (s.isObject()) {
            List<AlembicState.Row> rows = new ArrayList<>();
            for (JsonNode n : s.path("rows")) {
                rows.add(new AlembicState.Row(text(n, "row"), n.path("known").asBoolean(),
                        nullableStrings(n.path("resolves_to"))));
            }
            List<AlembicState.Overlap> overlaps = new ArrayList<>();
            for (JsonNode n : s.path("overlapping")) {
                overlaps.add(new AlembicState.Overlap(text(n, "row"), text(n, "ancestor_of")));
            }
            state = new AlembicState(rows, strings(s.path("applied")), nullableStrings(s.path("pending")),
                    strings(s.path("pending_from")), strings(s.path("unknown")), overlaps,
                    text(s, "upgrade_heads_error"), text(s, "upgrade_head_error"));
        }
        JsonNode vl = r.path("version_locations");
        return new AlembicProject(false, projectDir, setting(r.path("script_location")),
                new AlembicProject.Setting<>(strings(vl.path("value")), text(vl, "source")),
                setting(r.path("version_table")), setting(r.path("version_table_schema")),
                strings(r.path("env_py_mentions")), text(v, "python"), text(v, "alembic"), text(v, "sqlalchemy"),
                r.hasNonNull("version_num_length") ? r.get("version_num_length").asInt() : null,
                r.path("graph_ok").asBoolean(), graphErrors(r.path("graph_errors")), revisions,
                strings(r.path("heads")), strings(r.path("bases")), nullableStrings(r.path("order")), state,
                strings(r.path("warnings")));
    }

    private static AlembicRun run(JsonNode r) {
        JsonNode eff = r.path("effective");
        List<String> statements = new ArrayList<>();
        for (JsonNode n : r.path("statements")) {
            String params = text(n, "parameters");
            statements.add(text(n, "sql") + (params == null || params.equals("{}") || params.equals("()")
                    ? "" : "  -- " + params));
        }
        return new AlembicRun(strings(r.path("applied")), strings(r.path("rows_before")), strings(r.path("rows")),
                statements, setting(eff.path("version_table")), setting(eff.path("version_table_schema")),
                r.hasNonNull("version_table_exists") ? r.get("version_table_exists").asBoolean() : null,
                strings(r.path("warnings")));
    }

    private static List<AlembicProject.GraphError> graphErrors(JsonNode list) {
        List<AlembicProject.GraphError> out = new ArrayList<>();
        for (JsonNode n : list) {
            out.add(new AlembicProject.GraphError(text(n, "kind"), text(n, "revision"), strings(n.path("related")),
                    text(n, "message")));
        }
        return out;
    }

    private static AlembicProject.Setting<String> setting(JsonNode n) {
        return new AlembicProject.Setting<>(text(n, "value"), text(n, "source"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) {
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> nullableStrings(JsonNode list) {
        return list.isArray() ? strings(list) : null;
    }

    private static String tail(Masker masker, Path err) {
        try {
            String s = Files.readString(err, StandardCharsets.UTF_8);
            if (s.length() > STDERR_TAIL) {
                s = s.substring(s.length() - STDERR_TAIL);
            }
            return masker.mask(s);
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // harmless
            }
        }
    }

    /** Masks the URL's password (as given, percent-decoded and percent-encoded) and any user:password@ part. */
    private static final class Masker {
        private final Set<String> secrets = new LinkedHashSet<>();

        Masker(String url) {
            if (url == null) {
                return;
            }
            int scheme = url.indexOf("://");
            int at = url.indexOf('@', Math.max(scheme, 0));
            if (scheme >= 0 && at > scheme) {
                String userinfo = url.substring(scheme + 3, at);
                int colon = userinfo.indexOf(':');
                if (colon >= 0) {
                    String raw = userinfo.substring(colon + 1);
                    add(raw);
                    try {
                        String decoded = java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
                        add(decoded);
                        add(URLEncoder.encode(decoded, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException ignored) {
                        // not percent-encoded: the raw form is masked
                    }
                }
            }
        }

        private void add(String s) {
            if (s != null && s.length() >= 4) {
                secrets.add(s);
            }
        }

        String mask(String s) {
            if (s == null) {
                return null;
            }
            String out = s;
            List<String> bySize = new ArrayList<>(secrets);
            bySize.sort(Comparator.comparingInt(String::length).reversed());
            for (String secret : bySize) {
                out = out.replace(secret, "***");
            }
            return SqlAlchemyUrl.mask(out);
        }
    }
}
