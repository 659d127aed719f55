package io.driftwatch.alembic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fallback without Python: reads alembic.ini and the revision files' module-level assignments
 * ({@code revision}, {@code down_revision}, {@code branch_labels}, {@code depends_on}) without running them.
 *
 * <p>What it understands: both the old template's {@code revision = 'x'} and Alembic 1.13's annotated
 * {@code revision: str = "x"} / {@code down_revision: Union[str, Sequence[str], None] = ...}; values that
 * are {@code None}, a string literal (any quotes and prefixes, implicit concatenation) or a tuple, list or
 * set of them, spread over lines with comments; assignments inside the module docstring or indented code
 * are ignored. A value it cannot read (a name, a call) makes that file an {@code unreadable-file} graph
 * error. From alembic.ini: {@code script_location}, {@code version_locations} (split as Alembic does:
 * {@code path_separator} / {@code version_path_separator}, else spaces and commas),
 * {@code recursive_version_locations}, {@code version_table}, {@code version_table_schema}, with
 * {@code %(here)s} and {@code %(key)s} interpolation. Relative paths resolve against the project folder
 * (Alembic's working directory).
 *
 * <p>What it approximates (and says so in {@link AlembicProject#warnings()}): Alembic's spreading of
 * branch labels ({@link AlembicRevision#branches()} is null), package-resource script locations, and
 * anything env.py changes. Heads, bases, merge and branch points follow Alembic's definitions
 * (alembic/script/revision.py: a head is named by no {@code down_revision}; dependencies do not count).
 */
public final class StaticRevisionReader {

    /** The note every static read carries in {@link AlembicProject#warnings()}. */
    public static final String STATIC_NOTE = "read statically without Python/Alembic: revision files were parsed, "
            + "not run; branch label spreading, env.py settings and computed ids are not known";

    private static final Set<String> NAMES = Set.of("revision", "down_revision", "branch_labels", "depends_on");
    private static final Pattern INTERPOLATION = Pattern.compile("%\\(([^)]+)\\)s|%%");
    private static final Pattern SOURCE_FILE = Pattern.compile("(?!\\.#|__init__)(.*\\.py)");

    /**
     * Reads a project.
     *
     * @param config the configuration
     * @return the project with {@link AlembicProject#isStatic()} true, no {@code state}
     * @throws AlembicException kind {@code config} when the ini file, its section or {@code script_location}
     *                          is missing, or a version folder cannot be listed
     */
    public AlembicProject read(AlembicConfig config) throws AlembicException {
        Map<String, Map<String, String>> ini = parseIni(config.iniFile());
        Map<String, String> section = ini.get(config.section());
        if (section == null) {
            throw configError("no [" + config.section() + "] section in " + config.iniFile());
        }
        Path projectDir = config.projectDir();
        String scriptLocation = section.get("script_location");
        String scriptSource = "alembic.ini";
        if (scriptLocation == null || scriptLocation.isBlank()) {
            Path here = config.iniFile().getParent();
            if (Files.isRegularFile(here.resolve("env.py"))) {
                scriptLocation = here.toString();
                scriptSource = "flask-migrate layout";
            } else {
                throw configError("no script_location in [" + config.section() + "] of " + config.iniFile());
            }
        }
        Path scriptDir = projectDir.resolve(scriptLocation).normalize();
        List<Path> locations = new ArrayList<>();
        String vl = section.get("version_locations");
        if (vl != null && !vl.isBlank()) {
            for (String part : splitLocations(vl, section)) {
                locations.add(projectDir.resolve(part).normalize());
            }
        } else {
            locations.add(scriptDir.resolve("versions"));
        }
        boolean recursive = truthy(section.get("recursive_version_locations"));
        List<String> warnings = new ArrayList<>();
        warnings.add(STATIC_NOTE);
        if (scriptLocation.contains(":") && !Files.isDirectory(scriptDir)) {
            warnings.add("script_location " + scriptLocation + " looks like a package resource, which a static read cannot resolve");
        }
        ReadResult read = readLocations(projectDir, locations, recursive);
        warnings.addAll(read.notes());
        String envText = "";
        try {
            envText = Files.readString(scriptDir.resolve("env.py"), StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // no env.py: nothing to hint at
        }
        List<String> mentions = new ArrayList<>();
        for (String k : List.of("DATABASE_URL", "include_schemas", "transaction_per_migration", "version_table",
                "version_table_schema")) {
            if (envText.contains(k)) {
                mentions.add(k);
            }
        }
        List<String> relLocations = new ArrayList<>();
        for (Path p : locations) {
            relLocations.add(rel(projectDir, p));
        }
        String vt = section.get("version_table");
        String vts = section.get("version_table_schema");
        return new AlembicProject(true, projectDir, new AlembicProject.Setting<>(scriptDir.toString(), scriptSource),
                new AlembicProject.Setting<>(relLocations, vl != null && !vl.isBlank() ? "alembic.ini" : "default"),
                vt != null && !vt.isBlank() ? new AlembicProject.Setting<>(vt, "alembic.ini")
                        : new AlembicProject.Setting<>("alembic_version", "default"),
                vts != null && !vts.isBlank() ? new AlembicProject.Setting<>(vts, "alembic.ini")
                        : new AlembicProject.Setting<>(null, "default"),
                mentions, null, null, null, 32, read.graphOk(), read.errors(), read.revisions(), read.heads(),
                read.bases(), read.order(), null, warnings);
    }

    /**
     * The revisions and graph of version folders.
     *
     * @param revisions the revisions, sorted by id then path
     * @param heads     head ids, sorted
     * @param bases     base ids, sorted
     * @param order     a topological order (bases first, ties by id), or null when there is a cycle
     * @param graphOk   no cycle and no missing parent or dependency
     * @param errors    graph errors and unreadable files
     * @param notes     remarks (skipped files)
     */
    public record ReadResult(List<AlembicRevision> revisions, List<String> heads, List<String> bases,
                             List<String> order, boolean graphOk, List<AlembicProject.GraphError> errors,
                             List<String> notes) {
    }

    /**
     * Reads the revision files of version folders (missing folders are skipped, as Alembic does).
     *
     * @param projectDir paths are reported relative to it
     * @param locations  version folders
     * @param recursive  also read sub-folders ({@code recursive_version_locations})
     * @return the revisions and their graph
     * @throws AlembicException kind {@code config} when a folder cannot be listed
     */
    public ReadResult readLocations(Path projectDir, List<Path> locations, boolean recursive) throws AlembicException {
        List<AlembicProject.GraphError> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Parsed> parsed = new ArrayList<>();
        for (Path dir : locations) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> SOURCE_FILE.matcher(p.getFileName().toString()).matches())
                        .filter(p -> !p.toString().contains(File.separator + "__pycache__" + File.separator))
                        .sorted().toList();
            } catch (IOException e) {
                throw configError("cannot list the version folder " + dir + ": " + e.getMessage());
            }
            for (Path f : files) {
                String path = rel(projectDir, f);
                try {
                    Parsed p = parse(Files.readString(f, StandardCharsets.UTF_8), path);
                    if (p.revision == null) {
                        errors.add(new AlembicProject.GraphError("unreadable-file", null, List.of(path),
                                path + ": no readable module-level revision = '...'"
                                        + (p.problem == null ? "" : " (" + p.problem + ")")));
                    } else {
                        if (p.problem != null) {
                            errors.add(new AlembicProject.GraphError("unreadable-file", p.revision, List.of(path),
                                    path + ": " + p.problem));
                        }
                        parsed.add(p);
                    }
                } catch (IOException e) {
                    errors.add(new AlembicProject.GraphError("unreadable-file", null, List.of(path),
                            path + ": cannot read: " + e.getMessage()));
                }
            }
        }
        return graph(parsed, errors, notes);
    }

    private static ReadResult graph(List<Parsed> parsed, List<AlembicProject.GraphError> errors, List<String> notes) {
        Map<String, List<Parsed>> byId = new LinkedHashMap<>();
        for (Parsed p : parsed) {
            byId.computeIfAbsent(p.revision, k -> new ArrayList<>()).add(p);
        }
        Map<String, String> labels = new HashMap<>();
        for (Parsed p : parsed) {
            for (String l : p.branchLabels) {
                String other = labels.putIfAbsent(l, p.revision);
                if (other != null && !other.equals(p.revision)) {
                    errors.add(new AlembicProject.GraphError("branch-label-conflict", p.revision, List.of(other),
                            "branch label " + l + " of revision " + p.revision + " is already used by revision " + other));
                }
            }
        }
        boolean ok = true;
        for (Map.Entry<String, List<Parsed>> e : new java.util.TreeMap<>(byId).entrySet()) {
            if (e.getValue().size() > 1) {
                List<String> paths = e.getValue().stream().map(p -> p.path).sorted().toList();
                errors.add(new AlembicProject.GraphError("duplicate-revision", e.getKey(), paths,
                        "revision " + e.getKey() + " is defined by " + paths.size() + " files: " + String.join(", ", paths)));
            }
        }
        Map<String, Set<String>> children = new HashMap<>();
        Map<String, List<String>> resolvedDeps = new HashMap<>();
        List<Parsed> sorted = new ArrayList<>(parsed);
        sorted.sort((a, b) -> a.revision.equals(b.revision) ? a.path.compareTo(b.path) : a.revision.compareTo(b.revision));
        for (Parsed p : sorted) {
            for (String d : p.downRevisions) {
                if (!byId.containsKey(d)) {
                    ok = false;
                    errors.add(new AlembicProject.GraphError("missing-parent", p.revision, List.of(d),
                            "revision " + p.revision + " names down_revision " + d + ", which no script defines"));
                }
                children.computeIfAbsent(d, k -> new TreeSet<>()).add(p.revision);
            }
            List<String> resolved = new ArrayList<>();
            for (String d : p.dependsOn) {
                if (byId.containsKey(d)) {
                    resolved.add(d);
                } else if (labels.containsKey(d)) {
                    resolved.add(labels.get(d));
                } else {
                    ok = false;
                    errors.add(new AlembicProject.GraphError("missing-dependency", p.revision, List.of(d),
                            "revision " + p.revision + " depends_on " + d + ", which is no revision id or branch label"));
                }
            }
            resolvedDeps.put(p.revision, resolved.stream().sorted().distinct().toList());
        }
        List<String> order = topological(byId, resolvedDeps);
        if (order == null) {
            ok = false;
            errors.add(new AlembicProject.GraphError("cycle", null, cycleMembers(byId, resolvedDeps),
                    "the revisions " + String.join(", ", cycleMembers(byId, resolvedDeps)) + " form a cycle"));
        }
        List<AlembicRevision> revisions = new ArrayList<>();
        Set<String> heads = new TreeSet<>();
        Set<String> bases = new TreeSet<>();
        for (Parsed p : sorted) {
            Set<String> kids = children.getOrDefault(p.revision, Set.of());
            boolean head = kids.isEmpty();
            boolean base = p.downRevisions.isEmpty();
            if (head) {
                heads.add(p.revision);
            }
            if (base) {
                bases.add(p.revision);
            }
            revisions.add(new AlembicRevision(p.revision, p.downRevisions, p.dependsOn,
                    ok ? resolvedDeps.get(p.revision) : null, p.branchLabels.stream().sorted().toList(), null, p.path,
                    p.doc, head, base, p.downRevisions.size() > 1, kids.size() > 1));
        }
        return new ReadResult(revisions, List.copyOf(heads), List.copyOf(bases), order, ok, errors, notes);
    }

    /** Kahn's algorithm over down_revision and resolved depends_on edges; ties by id; null on a cycle. */
    private static List<String> topological(Map<String, List<Parsed>> byId, Map<String, List<String>> deps) {
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> kids = new HashMap<>();
        for (String id : byId.keySet()) {
            Set<String> ps = new TreeSet<>();
            for (Parsed p : byId.get(id)) {
                ps.addAll(p.downRevisions);
            }
            ps.addAll(deps.getOrDefault(id, List.of()));
            ps.retainAll(byId.keySet());
            parents.put(id, ps);
            for (String p : ps) {
                kids.computeIfAbsent(p, k -> new TreeSet<>()).add(id);
            }
        }
        TreeSet<String> ready = new TreeSet<>();
        Map<String, Integer> pending = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : parents.entrySet()) {
            pending.put(e.getKey(), e.getValue().size());
            if (e.getValue().isEmpty()) {
                ready.add(e.getKey());
            }
        }
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.pollFirst();
            order.add(id);
            for (String k : kids.getOrDefault(id, Set.of())) {
                if (pending.merge(k, -1, Integer::sum) == 0) {
                    ready.add(k);
                }
            }
        }
        return order.size() == parents.size() ? order : null;
    }

    private static List<String> cycleMembers(Map<String, List<Parsed>> byId, Map<String, List<String>> deps) {
        // the revisions that are not ordered: members of a cycle or descendants of one
        Map<String, Set<String>> parents = new HashMap<>();
        for (String id : byId.keySet()) {
            Set<String> ps = new TreeSet<>();
            for (Parsed p : byId.get(id)) {
                ps.addAll(p.downRevisions);
            }
            ps.addAll(deps.getOrDefault(id, List.of()));
            ps.retainAll(byId.keySet());
            parents.put(id, ps);
        }
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, Set<String>> e : parents.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    done.add(e.getKey());
                    progress = true;
                }
            }
        }
        return parents.keySet().stream().filter(id -> !done.contains(id)).sorted().toList();
    }

    // ------------------------------------------------------------------------------------------
    // the Python reader

    /** One file's assignments. Package-private for tests. */
    static final class Parsed {
        String path;
        String revision;
        List<String> downRevisions = List.of();
        List<String> branchLabels = List.of();
        List<String> dependsOn = List.of();
        String doc;
        String problem;
    }

    /**
     * Parses one revision file's text.
     *
     * @param text the Python source
     * @param path for messages
     * @return the assignments found ({@code revision} null when none was readable)
     */
    static Parsed parse(String text, String path) {
        Parsed out = new Parsed();
        out.path = path;
        List<Token> tokens = new Lexer(text).tokens();
        // logical lines at depth 0
        // a statement after ';' starts where its line's first statement started
        List<List<Token>> lines = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        int inherited = -1;
        for (Token t : tokens) {
            if (t.kind == Kind.NEWLINE) {
                int first = cur.isEmpty() ? inherited : cur.get(0).column;
                if (!cur.isEmpty()) {
                    lines.add(cur);
                }
                cur = new ArrayList<>();
                inherited = t.text.equals(";") ? first : -1;
            } else {
                cur.add(cur.isEmpty() && inherited >= 0 ? new Token(t.kind, t.text, inherited) : t);
            }
        }
        if (!cur.isEmpty()) {
            lines.add(cur);
        }
        boolean first = true;
        for (List<Token> line : lines) {
            Token t0 = line.get(0);
            if (first) {
                first = false;
                if (t0.kind == Kind.STRING && t0.column == 0 && line.stream().allMatch(t -> t.kind == Kind.STRING)) {
                    out.doc = firstLine(t0.text);
                    continue;
                }
            }
            if (t0.kind != Kind.NAME || t0.column != 0 || !NAMES.contains(t0.text) || line.size() < 2) {
                continue;
            }
            int i = 1;
            if (line.get(1).isOp(":")) {
                // annotation: skip to the top-level '='
                int depth = 0;
                for (i = 2; i < line.size(); i++) {
                    Token t = line.get(i);
                    if (t.isOp("[") || t.isOp("(") || t.isOp("{")) {
                        depth++;
                    } else if (t.isOp("]") || t.isOp(")") || t.isOp("}")) {
                        depth--;
                    } else if (depth == 0 && t.isOp("=")) {
                        break;
                    }
                }
                if (i >= line.size()) {
                    continue; // a bare annotation: no value
                }
            } else if (!line.get(1).isOp("=")) {
                continue; // e.g. revision += ..., revision.x = ...
            }
            List<Token> value = line.subList(i + 1, line.size());
            List<String> parsedValue;
            try {
                parsedValue = value(value);
            } catch (IllegalArgumentException e) {
                out.problem = t0.text + " is not a literal a static read understands (" + e.getMessage() + ")";
                continue;
            }
            switch (t0.text) {
                case "revision" -> {
                    if (parsedValue.size() == 1 && !isTuple(value)) {
                        out.revision = parsedValue.get(0);
                    } else {
                        out.problem = "revision is not one string";
                    }
                }
                case "down_revision" -> out.downRevisions = parsedValue;
                case "branch_labels" -> out.branchLabels = parsedValue;
                case "depends_on" -> out.dependsOn = parsedValue;
                default -> {
                }
            }
        }
        return out;
    }

    private static boolean isTuple(List<Token> value) {
        return !value.isEmpty() && value.get(0).kind == Kind.OP;
    }

    /** None -> [], 'a' 'b' -> ["ab"], ('a', "b",) / ['a'] / {'a'} -> list. */
    private static List<String> value(List<Token> v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        if (v.size() == 1 && v.get(0).kind == Kind.NAME && v.get(0).text.equals("None")) {
            return List.of();
        }
        if (v.get(0).kind == Kind.STRING) {
            StringBuilder b = new StringBuilder();
            for (Token t : v) {
                if (t.kind != Kind.STRING) {
                    throw new IllegalArgumentException("unexpected " + t.text);
                }
                b.append(t.text);
            }
            return List.of(b.toString());
        }
        Token open = v.get(0);
        Token close = v.get(v.size() - 1);
        boolean brackets = (open.isOp("(") && close.isOp(")")) || (open.isOp("[") && close.isOp("]"))
                || (open.isOp("{") && close.isOp("}"));
        if (!brackets) {
            throw new IllegalArgumentException("unexpected " + open.text);
        }
        List<String> out = new ArrayList<>();
        StringBuilder item = null;
        for (int i = 1; i < v.size() - 1; i++) {
            Token t = v.get(i);
            if (t.kind == Kind.STRING) {
                item = item == null ? new StringBuilder(t.text) : item.append(t.text);
            } else if (t.isOp(",")) {
                if (item == null) {
                    throw new IllegalArgumentException("empty element");
                }
                out.add(item.toString());
                item = null;
            } else {
                throw new IllegalArgumentException("unexpected " + t.text);
            }
        }
        if (item != null) {
            out.add(item.toString());
        }
        return List.copyOf(out);
    }

    private enum Kind { NAME, STRING, OP, NEWLINE }

    private record Token(Kind kind, String text, int column) {
        boolean isOp(String s) {
            return kind == Kind.OP && text.equals(s);
        }
    }

    /** A small Python lexer: names, string literals (values decoded), operators, logical newlines. */
    private static final class Lexer {
        private final String s;
        private int i;
        private int lineStart;
        private int depth;
        private final List<Token> out = new ArrayList<>();

        Lexer(String s) {
            this.s = s.startsWith("\uFEFF") ? s.substring(1) : s;
        }

        List<Token> tokens() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\n') {
                    if (depth == 0) {
                        out.add(new Token(Kind.NEWLINE, "\n", i - lineStart));
                    }
                    i++;
                    lineStart = i;
                } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i += 2; // explicit line joining
                    lineStart = i;
                } else if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == ';' && depth == 0) {
                    out.add(new Token(Kind.NEWLINE, ";", i - lineStart));
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (isStringStart()) {
                    string();
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                        i++;
                    }
                    out.add(new Token(Kind.NAME, s.substring(start, i), start - lineStart));
                } else {
                    if (c == '(' || c == '[' || c == '{') {
                        depth++;
                    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                        depth--;
                    }
                    out.add(new Token(Kind.OP, String.valueOf(c), i - lineStart));
                    i++;
                }
            }
            return out;
        }

        private boolean isStringStart() {
            int j = i;
            while (j < s.length() && j - i < 2 && "rRbBuUfF".indexOf(s.charAt(j)) >= 0) {
                j++;
            }
            return j < s.length() && (s.charAt(j) == '\'' || s.charAt(j) == '"');
        }

        private void string() {
            int start = i;
            boolean raw = false;
            while ("rRbBuUfF".indexOf(s.charAt(i)) >= 0) {
                raw |= s.charAt(i) == 'r' || s.charAt(i) == 'R';
                i++;
            }
            char q = s.charAt(i);
            boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
            String end = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
            i += end.length();
            StringBuilder b = new StringBuilder();
            while (i < s.length() && !s.startsWith(end, i)) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    if (raw) {
                        b.append(c).append(n);
                    } else {
                        switch (n) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case '\n' -> {
                            }
                            default -> b.append(n);
                        }
                    }
                    i += 2;
                    continue;
                }
                if (c == '\n') {
                    if (!triple) {
                        break; // unterminated: stop at the line end
                    }
                    lineStart = i + 1;
                }
                b.append(c);
                i++;
            }
            i = Math.min(s.length(), i + end.length());
            out.add(new Token(Kind.STRING, b.toString(), start - lineStartBefore(start)));
        }

        private int lineStartBefore(int pos) {
            int nl = s.lastIndexOf('\n', pos - 1);
            return nl + 1;
        }
    }

    // ------------------------------------------------------------------------------------------
    // alembic.ini

    /**
     * Parses an ini file as Python's ConfigParser does for Alembic (keys lower-cased, {@code =} or
     * {@code :}, indented continuation lines, full-line {@code #} / {@code ;} comments, DEFAULT section,
     * {@code %(here)s} set to the file's folder), then interpolates.
     */
    static Map<String, Map<String, String>> parseIni(Path iniFile) throws AlembicException {
        List<String> lines;
        try {
            lines = Files.readAllLines(iniFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw configError("Alembic config file not found: " + iniFile);
        }
        Map<String, Map<String, String>> raw = new LinkedHashMap<>();
        Map<String, String> section = null;
        String lastKey = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                if (trimmed.isEmpty()) {
                    lastKey = null;
                }
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && section != null && lastKey != null) {
                section.put(lastKey, section.get(lastKey) + "\n" + trimmed);
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                section = raw.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1).strip(), k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int eq = indexOfDelimiter(trimmed);
            if (section == null || eq < 0) {
                continue;
            }
            lastKey = trimmed.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            section.put(lastKey, trimmed.substring(eq + 1).strip());
        }
        Map<String, String> defaults = new LinkedHashMap<>(raw.getOrDefault("DEFAULT", Map.of()));
        defaults.putIfAbsent("here", iniFile.toAbsolutePath().getParent().toString());
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : raw.entrySet()) {
            Map<String, String> scope = new LinkedHashMap<>(defaults);
            scope.putAll(e.getValue());
            Map<String, String> resolved = new LinkedHashMap<>();
            for (Map.Entry<String, String> kv : scope.entrySet()) {
                resolved.put(kv.getKey(), interpolate(kv.getValue(), scope, 0));
            }
            out.put(e.getKey(), resolved);
        }
        return out;
    }

    private static int indexOfDelimiter(String s) {
        int a = s.indexOf('=');
        int b = s.indexOf(':');
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    private static String interpolate(String v, Map<String, String> scope, int depth) {
        if (v == null || depth > 10) {
            return v;
        }
        Matcher m = INTERPOLATION.matcher(v);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group(0).equals("%%")) {
                rep = "%";
            } else {
                String key = m.group(1).toLowerCase(Locale.ROOT);
                rep = scope.containsKey(key) ? interpolate(scope.get(key), scope, depth + 1) : m.group(0);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(rep));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static List<String> splitLocations(String value, Map<String, String> section) {
        String sep = section.get("path_separator");
        if (sep == null) {
            sep = section.get("version_path_separator");
        }
        String[] parts;
        if (sep == null) {
            parts = value.split(", *|(?: +)|\n"); // Alembic's legacy split on spaces and commas
        } else {
            String s = sep.strip().toLowerCase(Locale.ROOT);
            String ch = switch (s) {
                case "space" -> " ";
                case "newline" -> "\n";
                case "os" -> File.pathSeparator;
                case ":", ";" -> s;
                default -> " ";
            };
            parts = value.split(Pattern.quote(ch));
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    private static boolean truthy(String v) {
        return v != null && Set.of("true", "yes", "on", "1").contains(v.strip().toLowerCase(Locale.ROOT));
    }

    private static String firstLine(String text) {
        for (String line : text.strip().split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return null;
    }

    private static String rel(Path base, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        String r = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
        return r.replace(File.separatorChar, '/');
    }

    private static AlembicException configError(String message) {
        return new AlembicException(message, new AlembicException.Details("config", null, null, null, null, null,
                null, null, null, null));
    }

}
