package io.driftwatch.alembic;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.HistoryState;
import io.driftwatch.model.ObjectRef;
import io.driftwatch.model.Revision;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;
import io.driftwatch.postgres.gate.InFlightCheck;
import io.driftwatch.tool.CacheKeyField;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryReport;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.tool.MigrationException;
import io.driftwatch.tool.MigrationTool;
import io.driftwatch.tool.ReplayException;
import io.driftwatch.tool.UncacheableException;
import io.driftwatch.tool.VersionTableRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Alembic as the pipeline's {@link MigrationTool}, on PostgreSQL. Alembic answers every question about
 * its own graph: the revisions, heads, merge points, labels and {@code depends_on} come from its
 * {@code ScriptDirectory}, what a set of {@code alembic_version} rows means (applied set, pending
 * order, unknown and overlapping rows) from its {@code RevisionMap}, and replays are its own
 * {@code upgrade}, all through the helper shipped in the jar ({@link AlembicHelper}). Without a
 * Python that can import Alembic the graph is read from the files ({@link StaticRevisionReader},
 * rule {@code DW228}) and nothing can be replayed.
 *
 * <p>History rules (wing rules of {@code rules/catalog.yaml}): {@code DW221} unknown-revision,
 * {@code DW222} multiple-heads (one per head), {@code DW223} pending-revision, {@code DW224}
 * overlapping-version-rows, {@code DW225} revision-id-too-long (longer than {@code version_num}),
 * {@code DW226} broken-revision-graph, {@code DW227} never-stamped (version table missing or empty on a
 * schema with tables), {@code DW228} static-revision-graph. When no row names a known revision, the graph
 * is broken, or the table is missing on a schema with tables, there is no expected schema
 * ({@link HistoryReport#noExpectedSchema()}).
 *
 * <p>The audited database's {@code alembic_version} is read over JDBC, never through env.py (which may
 * do anything); env.py runs only against shadow databases. One instance is one project; the graph read
 * first is kept for later calls of the same run (thread-safe).
 */
public final class AlembicTool implements MigrationTool {

    /** Alembic's default version table. */
    public static final String DEFAULT_TABLE = "alembic_version";

    static final Rule UNKNOWN_REVISION = Rule.wing("DW221");
    static final Rule MULTIPLE_HEADS = Rule.wing("DW222");
    static final Rule PENDING = Rule.wing("DW223");
    static final Rule OVERLAPPING = Rule.wing("DW224");
    static final Rule ID_TOO_LONG = Rule.wing("DW225");
    static final Rule BROKEN_GRAPH = Rule.wing("DW226");
    static final Rule NEVER_STAMPED = Rule.wing("DW227");
    static final Rule STATIC_GRAPH = Rule.wing("DW228");

    private final AlembicConfig config;
    private final PythonInterpreter python;
    private final String pythonProblem;
    private final String tableOverride;
    private final String schemaOverride;
    private final Duration timeout;
    private final Map<String, String> env;
    private final AtomicReference<AlembicProject> project = new AtomicReference<>();

    /**
     * @param config         the Alembic configuration ({@code --alembic-config})
     * @param python         the interpreter with Alembic, or null to read the graph statically
     * @param pythonProblem  why no interpreter was found (one line, for messages), or null
     * @param tableOverride  {@code --history-table}, or null for alembic.ini's {@code version_table} or
     *                       {@value #DEFAULT_TABLE}
     * @param schemaOverride {@code --history-schema}, or null for alembic.ini's {@code version_table_schema}
     *                       or the target's current schema
     * @param timeout        how long one helper run may take
     * @param env            the environment helper runs get (usually {@code System.getenv()})
     */
    public AlembicTool(AlembicConfig config, PythonInterpreter python, String pythonProblem, String tableOverride,
                       String schemaOverride, Duration timeout, Map<String, String> env) {
        this.config = config;
        this.python = python;
        this.pythonProblem = pythonProblem;
        this.tableOverride = tableOverride;
        this.schemaOverride = schemaOverride;
        this.timeout = timeout;
        this.env = Map.copyOf(env);
    }

    @Override
    public String name() {
        return "alembic";
    }

    @Override
    public List<String> locations() {
        return List.of(config.iniFile().toString());
    }

    /** @return the configuration */
    public AlembicConfig config() {
        return config;
    }

    /** @return true when Alembic itself answers (a Python that imports it was found) */
    public boolean live() {
        return python != null;
    }

    /**
     * @param rows version table rows to evaluate, or null
     * @return the project as Alembic (or the static reader) sees it
     */
    private AlembicProject inspect(List<String> rows) throws MigrationException {
        try {
            if (python == null) {
                return new StaticRevisionReader().read(config);
            }
            try (AlembicHelper helper = AlembicHelper.open(python, timeout, env)) {
                return helper.inspect(config, rows);
            }
        } catch (AlembicException e) {
            throw new MigrationException(config.iniFile() + ": " + e.getMessage(), e);
        }
    }

    private AlembicProject project() throws MigrationException {
        AlembicProject p = project.get();
        if (p == null) {
            p = inspect(null);
            project.compareAndSet(null, p);
        }
        return p;
    }

    @Override
    public RevisionGraph scan() throws MigrationException {
        return graph(project());
    }

    /**
     * @param p a project
     * @return its revisions in upgrade order (files order when the graph is broken); a duplicated id
     *         keeps its first file (the duplicate is a {@code DW226} finding)
     */
    static RevisionGraph graph(AlembicProject p) {
        Map<String, AlembicRevision> byId = new LinkedHashMap<>();
        for (AlembicRevision r : p.revisions()) {
            byId.putIfAbsent(r.revision(), r);
        }
        List<String> order = new ArrayList<>(p.order() != null ? p.order() : List.of());
        for (String id : byId.keySet()) {
            if (!order.contains(id)) {
                order.add(id);
            }
        }
        List<Revision> out = new ArrayList<>();
        for (String id : order) {
            AlembicRevision r = byId.get(id);
            if (r == null) {
                continue;
            }
            Path file = p.projectDir().resolve(r.path());
            out.add(new Revision(id, r.downRevisions(),
                    r.resolvedDependsOn() != null ? r.resolvedDependsOn() : r.dependsOn(),
                    r.branchLabels(), r.doc(), r.path(), file.toString(), null));
        }
        return new RevisionGraph("alembic", out);
    }

    @Override
    public VersionTableRef versionTable(String currentSchema) {
        String table = tableOverride;
        String schema = schemaOverride;
        try {
            AlembicProject p = project();
            if (table == null && p.versionTable() != null) {
                table = p.versionTable().value();
            }
            if (schema == null && p.versionTableSchema() != null) {
                schema = p.versionTableSchema().value();
            }
        } catch (MigrationException e) {
            // the scan reports it; the defaults are Alembic's own
        }
        return new VersionTableRef(schema != null ? schema : currentSchema, table != null ? table : DEFAULT_TABLE);
    }

    /** The version table's rows as stored ({@code version_num}), and the column's length. */
    private record Rows(boolean exists, List<String> rows, Integer length) {
    }

    private static Rows readRows(TargetSession session, VersionTableRef table)
            throws SQLException, HistoryUnreadableException {
        Connection c = session.connection();
        Integer length = null;
        boolean exists = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT a.atttypmod FROM pg_catalog.pg_class t"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attname = 'version_num'"
                + " AND NOT a.attisdropped WHERE n.nspname = ? AND t.relname = ? AND t.relkind IN ('r', 'p')")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    exists = true;
                    int mod = rs.getInt(1);
                    length = rs.wasNull() || mod < 4 ? null : mod - 4;
                }
            }
        }
        if (!exists) {
            return new Rows(false, List.of(), null);
        }
        List<String> rows;
        try {
            // a refused SELECT must not end the audit's read session
            rows = session.guarded(() -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT version_num FROM " + quote(table.schema()) + "."
                             + quote(table.table()) + " ORDER BY version_num")) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new HistoryUnreadableException("permission denied for " + table.display()
                        + "; GRANT SELECT ON " + quote(table.schema()) + "." + quote(table.table()) + " TO the auditing role", e);
            }
            throw e;
        }
        return new Rows(true, rows, length);
    }

    @Override
    public HistoryReport history(TargetSession live, RevisionGraph graph, VersionTableRef table)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException {
        Rows rows = readRows(live, table);
        long tables = io.driftwatch.postgres.PostgresDialect.INSTANCE.tableCount(live.connection(),
                ObjectRef.of(io.driftwatch.model.ObjectKind.TABLE, table.schema(), table.table()));
        AlembicProject p;
        try {
            p = rows.rows().isEmpty() ? project() : inspect(rows.rows());
        } catch (MigrationException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return report(p, rows, tables, table);
    }

    private static HistoryReport report(AlembicProject p, Rows rows, long tables, VersionTableRef table) {
        List<Finding> findings = new ArrayList<>();
        String noExpected = null;
        RevisionGraph graph = graph(p);
        if (p.isStatic()) {
            findings.add(finding(STATIC_GRAPH, table.display(), StaticRevisionReader.STATIC_NOTE));
        }
        if (!p.graphOk()) {
            // Alembic refuses every command on a broken graph: its problems are the only findings
            boolean named = p.graphErrors().stream().anyMatch(e -> e.revision() != null);
            for (AlembicProject.GraphError e : p.graphErrors()) {
                if (e.revision() != null || !named) {
                    findings.add(finding(BROKEN_GRAPH, e.revision() != null ? e.revision() : table.display(),
                            e.message()));
                }
            }
            return new HistoryReport(findings, state(p, graph, rows, List.of(), List.of(), table), List.of(), List.of(),
                    "the revision graph is broken (" + p.graphErrors().size()
                            + " problem(s)); Alembic refuses every command until it is fixed");
        }
        if (p.heads().size() > 1) {
            for (String h : p.heads()) {
                findings.add(finding(MULTIPLE_HEADS, h, "revision " + h + " is one of " + p.heads().size()
                        + " heads (" + String.join(", ", p.heads()) + "): alembic upgrade head fails with 'Multiple"
                        + " head revisions are present'; merge them with alembic merge"));
            }
        }
        int length = rows.length() != null ? rows.length() : p.versionNumLength() != null ? p.versionNumLength() : 32;
        for (Revision r : graph.revisions()) {
            if (r.id().length() > length) {
                findings.add(finding(ID_TOO_LONG, r.id(), "revision id " + r.id() + " has " + r.id().length()
                        + " characters but " + table.display() + ".version_num holds " + length
                        + ": writing its version row fails after its upgrade() ran"));
            }
        }
        AlembicState state = p.state();
        List<String> toReplay = List.of();
        List<String> pending = List.of();
        if (!rows.exists() || rows.rows().isEmpty()) {
            if (tables > 0) {
                findings.add(finding(NEVER_STAMPED, table.display(), table.display() + (rows.exists() ? " is empty"
                        : " does not exist") + " but the schema has " + tables + " table(s): alembic upgrade would"
                        + " run every revision on top of them; find the revision the schema matches and stamp it"));
                noExpected = noExpected != null ? noExpected : table.display() + " records no revision";
            } else if (p.graphOk()) {
                pending = p.order() != null ? p.order() : graph.revisions().stream().map(Revision::id).toList();
            }
        } else if (state != null) {
            for (String u : state.unknown()) {
                findings.add(finding(UNKNOWN_REVISION, u, table.display() + " holds revision " + u
                        + ", which no script in the version locations defines"));
            }
            for (AlembicState.Overlap o : state.overlapping()) {
                findings.add(finding(OVERLAPPING, o.row(), table.display() + " holds " + o.row()
                        + ", an ancestor of its other row " + o.ancestorOf() + ": Alembic refuses to upgrade"));
            }
            if (state.rows().stream().noneMatch(AlembicState.Row::known)) {
                noExpected = noExpected != null ? noExpected
                        : table.display() + " names no revision the scripts define";
            } else {
                toReplay = state.applied();
                pending = state.pending() == null ? List.of() : state.pending();
            }
        } else {
            // a static read: ancestors along the files' parents
            Set<String> known = new LinkedHashSet<>();
            for (String r : rows.rows()) {
                if (graph.get(r) != null) {
                    known.add(r);
                } else {
                    findings.add(finding(UNKNOWN_REVISION, r, table.display() + " holds revision " + r
                            + ", which no script in the version locations defines"));
                }
            }
            if (known.isEmpty()) {
                noExpected = noExpected != null ? noExpected : table.display() + " names no revision the scripts define";
            } else {
                toReplay = graph.ancestorsOf(known);
                Set<String> applied = new LinkedHashSet<>(toReplay);
                pending = graph.revisions().stream().map(Revision::id).filter(id -> !applied.contains(id)).toList();
            }
        }
        if (noExpected == null) {
            for (String id : pending) {
                findings.add(finding(PENDING, id, "revision " + id + " is not applied yet: alembic upgrade heads"
                        + " would apply it" + (graph.get(id) != null && graph.get(id).description() != null
                        ? " (" + graph.get(id).description() + ")" : "")));
            }
        } else {
            toReplay = List.of();
            pending = List.of();
        }
        return new HistoryReport(findings, state(p, graph, rows, toReplay, pending, table), toReplay, pending,
                noExpected);
    }

    private static HistoryState state(AlembicProject p, RevisionGraph graph, Rows rows, List<String> applied,
                                      List<String> pending, VersionTableRef table) {
        Set<String> current = new LinkedHashSet<>(rows.rows());
        Set<String> done = new LinkedHashSet<>(applied);
        Set<String> next = new LinkedHashSet<>(pending);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Revision r : graph.revisions()) {
            String state = current.contains(r.id()) ? "current" : done.contains(r.id()) ? "applied"
                    : next.contains(r.id()) ? "pending" : "not applied";
            entries.add(new HistoryEntry(r.id(), r.parents(), r.description(), r.isMerge() ? "merge" : "revision",
                    r.script(), state, null, null, null, null, null));
        }
        for (String row : rows.rows()) {
            if (graph.get(row) == null) {
                entries.add(new HistoryEntry(row, List.of(), null, null, null, "unknown", null, null, null, null, null));
            }
        }
        return new HistoryState("alembic", table.display(), p.heads(), rows.rows(), entries);
    }

    private static Finding finding(Rule rule, String revision, String message) {
        return new Finding(rule, rule.defaultSeverity(), ObjectRef.migration(revision), null, null, message);
    }

    @Override
    public HistoryReport withoutHistory(RevisionGraph graph, VersionTableRef table) {
        List<String> all = graph.revisions().stream().map(Revision::id).toList();
        try {
            AlembicProject p = project();
            return new HistoryReport(p.isStatic() ? List.of(finding(STATIC_GRAPH, table.display(),
                    StaticRevisionReader.STATIC_NOTE)) : List.of(),
                    state(p, graph, new Rows(false, List.of(), null), all, List.of(), table), all, List.of());
        } catch (MigrationException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Runs {@code alembic upgrade} to the revisions of {@code ids} that no other of them stands on, so
     * exactly {@code ids} (and what {@code db}'s version table already holds) end up applied.
     */
    @Override
    public void replay(ShadowDatabase db, RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws ReplayException {
        if (ids.isEmpty()) {
            return;
        }
        if (python == null) {
            throw new ReplayException("replaying Alembic revisions needs a Python with Alembic: "
                    + (pythonProblem != null ? pythonProblem : "none was found")
                    + "; install python3-alembic or pass --python", null, null, null);
        }
        List<String> targets = tips(graph, ids);
        String url = SqlAlchemyUrl.fromJdbc(db.jdbcUrl(), db.server().user(), db.server().password());
        try (AlembicHelper helper = AlembicHelper.open(python, timeout, env)) {
            helper.upgrade(config, url, targets);
        } catch (AlembicException e) {
            AlembicException.Details d = e.details();
            String revision = e.revision();
            String script = d != null && d.path() != null ? d.path() : revision;
            throw new ReplayException((revision != null ? "revision " + revision
                    + (d != null && d.path() != null ? " (" + d.path() + ")" : "") + " failed to replay: " : "")
                    + e.getMessage(), script, null, d == null ? null : d.line(), d == null ? null : d.sql(), e);
        }
    }

    /** @return the ids of {@code ids} no other id of {@code ids} stands on, in graph order */
    static List<String> tips(RevisionGraph graph, List<String> ids) {
        Set<String> set = new LinkedHashSet<>(ids);
        Set<String> below = new LinkedHashSet<>();
        for (String id : ids) {
            Revision r = graph.get(id);
            if (r != null) {
                for (String a : graph.ancestorsOf(List.of(id))) {
                    if (!a.equals(id)) {
                        below.add(a);
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Revision r : graph.revisions()) {
            if (set.contains(r.id()) && !below.contains(r.id())) {
                out.add(r.id());
            }
        }
        for (String id : ids) {
            if (graph.get(id) == null && !out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The ini file, env.py and script template bytes, the section, the version table, the interpreter and versions. */
    @Override
    public List<CacheKeyField> cacheKey(RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws UncacheableException {
        List<CacheKeyField> out = new ArrayList<>();
        out.add(new CacheKeyField("alembic.ini.sha256", sha256(config.iniFile())));
        out.add(new CacheKeyField("alembic.section", config.section()));
        try {
            AlembicProject p = project();
            Path scripts = p.scriptLocation() == null || p.scriptLocation().value() == null ? null
                    : Path.of(p.scriptLocation().value());
            Path envPy = scripts == null ? null : scripts.resolve("env.py");
            out.add(new CacheKeyField("alembic.env.sha256", envPy != null && Files.isRegularFile(envPy)
                    ? sha256(envPy) : null));
            out.add(new CacheKeyField("alembic.version", p.alembicVersion()));
            out.add(new CacheKeyField("sqlalchemy.version", p.sqlalchemyVersion()));
        } catch (MigrationException e) {
            throw new UncacheableException(e.getMessage(), e);
        }
        out.add(new CacheKeyField("alembic.python", python == null ? null : python.executable().toString()));
        out.add(new CacheKeyField("alembic.versionTable", table.display()));
        return out;
    }

    private static String sha256(Path file) throws UncacheableException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncacheableException(file + " cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Creates the version table as Alembic does ({@code version_num} of the live length, primary key) and copies the rows. */
    @Override
    public void copyVersionTable(Connection live, VersionTableRef table, Connection clone)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException {
        Rows rows;
        try (TargetSession session = io.driftwatch.postgres.PostgresDialect.INSTANCE.begin(live, null, null)) {
            rows = readRows(session, table);
        }
        if (!rows.exists()) {
            return; // Alembic creates it in the clone as it would on production
        }
        String name = quote(table.schema()) + "." + quote(table.table());
        try (Statement s = clone.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(table.schema()));
            s.execute("CREATE TABLE IF NOT EXISTS " + name + " (version_num varchar("
                    + (rows.length() == null ? 32 : rows.length()) + ") NOT NULL, CONSTRAINT "
                    + quote(table.table() + "_pkc") + " PRIMARY KEY (version_num))");
        }
        try (PreparedStatement ps = clone.prepareStatement("INSERT INTO " + name + " (version_num) VALUES (?)")) {
            for (String r : rows.rows()) {
                ps.setString(1, r);
                ps.executeUpdate();
            }
        }
    }

    /** Locks on the version table other than reads: an {@code alembic upgrade} in its transaction. */
    @Override
    public List<String> inFlight(Connection live, VersionTableRef table) throws SQLException {
        return InFlightCheck.relationLockHolders(live, table.schema(), table.table(), "Alembic's version table");
    }

    /** {@code <revision>_driftwatch_bridge.sql} for the plain SQL file; the id is the next free 12-hex id. */
    @Override
    public String bridgeFileName(AuditRun run, String requested, String description) {
        String id = requested != null ? requested : newRevisionId(run.graph());
        return id + "_" + description + ".sql";
    }

    /**
     * @param graph the revisions
     * @return a 12-hex-digit id (as {@code alembic revision} makes them) that no revision has
     */
    public static String newRevisionId(RevisionGraph graph) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        while (true) {
            String id = HexFormat.of().formatHex(random.generateSeed(6));
            if (graph.get(id) == null) {
                return id;
            }
        }
    }

    /**
     * {@code head}/{@code heads}/null: every revision; a revision id or a branch label: it and its
     * ancestors ({@code alembic upgrade TARGET} from an empty database).
     */
    @Override
    public List<String> replaySet(RevisionGraph graph, String target) throws MigrationException {
        List<String> all = graph.revisions().stream().map(Revision::id).toList();
        if (target == null || target.equals("heads")) {
            return all;
        }
        if (target.equals("head")) {
            List<String> heads = graph.heads();
            if (heads.size() > 1) {
                throw new MigrationException("'head' is ambiguous: the scripts have " + heads.size() + " heads ("
                        + String.join(", ", heads) + "); name one, or use @heads");
            }
            return all;
        }
        Revision r = graph.get(target);
        if (r == null) {
            for (Revision x : graph.revisions()) {
                if (x.labels().contains(target)) {
                    r = x;
                }
            }
        }
        if (r == null) {
            throw new MigrationException("no revision or branch label '" + target + "' (heads: "
                    + String.join(", ", graph.heads()) + ")");
        }
        return graph.ancestorsOf(List.of(r.id()));
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
