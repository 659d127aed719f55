package io.driftwatch.flyway;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.TargetSession;
import io.driftwatch.model.HistoryEntry;
import io.driftwatch.model.HistoryState;
import io.driftwatch.model.Revision;
import io.driftwatch.model.RevisionGraph;
import io.driftwatch.policy.AuditRun;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway as the pipeline's {@link MigrationTool}: scripts resolved by Flyway's own scanner
 * ({@link MigrationScanner}), {@code flyway_schema_history} read as stored ({@link FlywayHistoryReader})
 * and checked in Flyway's states ({@link HistoryChecker}, rule ids {@code DW201}–{@code DW212}), the
 * replay run by Flyway {@code migrate} ({@link Replayer}), Flyway's advisory lock for in-flight
 * migrations ({@link InFlightCheck#flywayLockHolders}).
 *
 * <p>Revision ids are {@code V<normalised version>} and {@code R <description>}; each versioned script's
 * parent is the previous version (a line), repeatables have none. One instance is one project; the
 * last {@link #scan()} is kept so that later calls can map ids back to scripts (thread-safe).
 *
 * @param folders       migration folders, scanned in order
 * @param placeholders  Flyway placeholders
 * @param schemas       Flyway's {@code schemas} (created by the replay), may be empty
 * @param historySchema schema of the version table, or null for Flyway's default (first of
 *                      {@code schemas}, else the target's {@code current_schema()})
 * @param historyTable  version table name, e.g. {@code flyway_schema_history}
 */
public record FlywayTool(List<Path> folders, Map<String, String> placeholders, List<String> schemas,
                         String historySchema, String historyTable) implements MigrationTool {

    private static final Pattern FLYWAY_PLACEHOLDER = Pattern.compile("\\$\\{flyway:([A-Za-z]+)}");
    /** Built-in placeholders whose value the key already determines. */
    private static final Set<String> STABLE_PLACEHOLDERS = Set.of("defaultSchema", "table", "filename");

    public FlywayTool {
        folders = List.copyOf(folders);
        placeholders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
        schemas = List.copyOf(schemas);
        historyTable = historyTable == null ? FlywayHistoryReader.DEFAULT_TABLE : historyTable;
    }

    @Override
    public String name() {
        return "flyway";
    }

    @Override
    public List<String> locations() {
        return folders.stream().map(Path::toString).toList();
    }

    /** @return the scripts as Flyway resolves them (scanned again on each call) */
    public MigrationSet scripts() throws MigrationException {
        return new MigrationScanner().scan(folders, placeholders);
    }

    @Override
    public RevisionGraph scan() throws MigrationException {
        return graph(scripts());
    }

    /**
     * @param scripts resolved scripts
     * @return them as a graph: versioned scripts as a line in version order, then repeatables
     */
    public static RevisionGraph graph(MigrationSet scripts) {
        List<Revision> out = new ArrayList<>();
        String previous = null;
        for (ResolvedMigration m : scripts.versioned()) {
            String id = id(m);
            out.add(new Revision(id, previous == null ? List.of() : List.of(previous), List.of(), List.of(),
                    m.description(), m.script(), m.physicalPath(), String.valueOf(m.checksum())));
            previous = id;
        }
        for (ResolvedMigration m : scripts.repeatables()) {
            out.add(new Revision(id(m), List.of(), List.of(), List.of(), m.description(), m.script(),
                    m.physicalPath(), String.valueOf(m.checksum())));
        }
        return new RevisionGraph("flyway", out);
    }

    /** @return {@code V<normalised version>} or {@code R <description>} */
    public static String id(ResolvedMigration m) {
        return m.repeatable() ? "R " + m.description() : "V" + Versions.normalize(m.version());
    }

    @Override
    public VersionTableRef versionTable(String currentSchema) {
        String schema = historySchema != null ? historySchema : !schemas.isEmpty() ? schemas.get(0) : currentSchema;
        return new VersionTableRef(schema, historyTable);
    }

    /** @return Flyway's replay settings for the version table {@code table} */
    public ReplaySettings replaySettings(VersionTableRef table) {
        return new ReplaySettings(schemas, table.schema(), table.table(), placeholders);
    }

    @Override
    public HistoryReport history(TargetSession live, RevisionGraph graph, VersionTableRef table)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException {
        AppliedHistory applied = new FlywayHistoryReader().read(live, table.schema(), table.table());
        return report(new HistoryChecker().check(toScripts(graph), applied), table);
    }

    @Override
    public HistoryReport withoutHistory(RevisionGraph graph, VersionTableRef table) {
        return report(new HistoryChecker().withoutHistory(toScripts(graph)), table);
    }

    /**
     * @param check Flyway's history check
     * @param table the version table
     * @return the check in the pipeline's terms (rows that leave what is applied unknown: no expected
     *         schema, {@link FlywayHistoryReport#replayRefused()}); pending = what {@code flyway migrate} would run next
     *         (versioned {@code pending}, then repeatables {@code pending} or {@code outdated}; not
     *         {@code ignored}, which Flyway skips unless {@code outOfOrder})
     */
    public static HistoryReport report(FlywayHistoryReport check, VersionTableRef table) {
        Set<String> pendingScripts = new LinkedHashSet<>();
        List<HistoryEntry> entries = new ArrayList<>();
        String current = null;
        for (MigrationStatus s : check.statuses()) {
            if (s.script() != null && ("pending".equals(s.state()) || "outdated".equals(s.state()))) {
                pendingScripts.add(s.script());
            }
            entries.add(entry(s));
            if (s.installedRank() != null && s.version() != null && Versions.isValid(s.version())
                    && ("success".equals(s.state()) || "out of order".equals(s.state()) || "baseline".equals(s.state()))
                    && (current == null || Versions.compare(s.version(), current.substring(1)) > 0)) {
                current = "V" + Versions.normalize(s.version());
            }
        }
        List<String> heads = new ArrayList<>();
        List<ResolvedMigration> versioned = check.allScripts().stream().filter(m -> !m.repeatable()).toList();
        if (!versioned.isEmpty()) {
            heads.add(id(versioned.get(versioned.size() - 1)));
        }
        HistoryState state = new HistoryState("flyway", table.display(), heads,
                current == null ? List.of() : List.of(current), entries);
        return new HistoryReport(FlywayFindings.of(check.findings()), state,
                check.toReplay().stream().map(FlywayTool::id).toList(),
                check.allScripts().stream().filter(m -> pendingScripts.contains(m.script())).map(FlywayTool::id).toList(),
                check.replayRefused());
    }

    /**
     * @param s one line of Flyway's state table
     * @return it as a history entry: id {@code V<normalised version>}, {@code R <description>}, or
     *         {@code rank <installed_rank>} for a row with neither
     */
    public static HistoryEntry entry(MigrationStatus s) {
        String id = s.version() != null
                ? (Versions.isValid(s.version()) ? "V" + Versions.normalize(s.version()) : s.version())
                : s.description() != null ? "R " + s.description() : "rank " + s.installedRank();
        return new HistoryEntry(id, List.of(), s.description(), s.type(), s.script(), s.state(), s.installedRank(),
                s.installedOn(), s.installedBy(), text(s.localChecksum()), text(s.appliedChecksum()));
    }

    private static String text(Integer checksum) {
        return checksum == null ? null : checksum.toString();
    }

    @Override
    public void replay(ShadowDatabase db, RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws ReplayException {
        new Replayer().replay(db, resolve(graph, ids), replaySettings(table));
    }

    /**
     * @param graph a graph from {@link #graph}
     * @param ids   ids of it
     * @return the scripts, in the order of {@code ids}
     */
    public static List<ResolvedMigration> resolve(RevisionGraph graph, List<String> ids) {
        Map<String, ResolvedMigration> byId = new LinkedHashMap<>();
        for (ResolvedMigration m : toScripts(graph).migrations()) {
            byId.put(id(m), m);
        }
        List<ResolvedMigration> out = new ArrayList<>();
        for (String id : ids) {
            ResolvedMigration m = byId.get(id);
            if (m == null) {
                throw new IllegalArgumentException("no Flyway script " + id + " in the scanned locations");
            }
            out.add(m);
        }
        return out;
    }

    /** @return the graph's revisions as Flyway scripts again (versions from the ids) */
    public static MigrationSet toScripts(RevisionGraph graph) {
        List<ResolvedMigration> out = new ArrayList<>();
        for (Revision r : graph.revisions()) {
            boolean repeatable = r.id().startsWith("R ");
            out.add(new ResolvedMigration(repeatable ? null : versionOf(r), r.description(), r.script(),
                    Integer.parseInt(r.checksum()), repeatable, r.file()));
        }
        return new MigrationSet(List.of(), out);
    }

    /** The version of a versioned revision: its id without the {@code V} (normalised, e.g. {@code 2.1}). */
    private static String versionOf(Revision r) {
        return r.id().substring(1);
    }

    /**
     * Per script: version, description, repeatable and the SHA-256 of its {@code .conf} sidecar; then
     * schemas, default schema, table and every placeholder (sorted, values hashed by the key).
     */
    @Override
    public List<CacheKeyField> cacheKey(RevisionGraph graph, List<String> ids, VersionTableRef table)
            throws UncacheableException {
        List<CacheKeyField> out = new ArrayList<>();
        for (ResolvedMigration m : resolve(graph, ids)) {
            checkPlaceholders(m);
            Path sidecar = Path.of(m.physicalPath() + ".conf");
            out.add(new CacheKeyField("flyway.script.version", m.version()));
            out.add(new CacheKeyField("flyway.script.description", m.description()));
            out.add(new CacheKeyField("flyway.script.repeatable", String.valueOf(m.repeatable())));
            out.add(new CacheKeyField("flyway.script.conf.sha256",
                    Files.isRegularFile(sidecar) ? sha256(sidecar, m.script() + ".conf") : null));
        }
        ReplaySettings settings = replaySettings(table);
        out.add(new CacheKeyField("flyway.schemas", String.join(",",
                settings.schemas().stream().map(v -> v.length() + ":" + v).toList())));
        out.add(new CacheKeyField("flyway.defaultSchema", settings.defaultSchema()));
        out.add(new CacheKeyField("flyway.table", settings.table()));
        for (Map.Entry<String, String> p : new TreeMap<>(settings.placeholders()).entrySet()) {
            out.add(new CacheKeyField("flyway.placeholder.name", p.getKey()));
            out.add(new CacheKeyField("flyway.placeholder.value", p.getValue()));
        }
        return out;
    }

    private static void checkPlaceholders(ResolvedMigration m) throws UncacheableException {
        String text;
        try {
            text = Files.readString(Path.of(m.physicalPath()), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncacheableException(m.script() + " cannot be read: " + e.getMessage(), e);
        }
        Matcher x = FLYWAY_PLACEHOLDER.matcher(text);
        while (x.find()) {
            if (!STABLE_PLACEHOLDERS.contains(x.group(1))) {
                throw new UncacheableException(m.script() + " uses ${flyway:" + x.group(1)
                        + "}, which replays differently each time", null);
            }
        }
    }

    private static String sha256(Path file, String name) throws UncacheableException {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncacheableException(name + " cannot be read: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public void copyVersionTable(Connection live, VersionTableRef table, Connection clone)
            throws SQLException, HistoryNotFoundException, HistoryUnreadableException {
        FlywayHistoryTable.copy(clone, new FlywayHistoryReader().read(live, table.schema(), table.table()));
    }

    @Override
    public List<String> inFlight(Connection live, VersionTableRef table) throws SQLException {
        return InFlightCheck.flywayLockHolders(live, table.schema(), table.table());
    }

    @Override
    public String bridgeFileName(AuditRun run, String requested, String description) {
        List<String> applied = run.result().history().entries().stream()
                .filter(e -> e.rank() != null && e.id().startsWith("V")).map(e -> e.id().substring(1)).toList();
        String v = requested != null ? requested : nextVersion(toScripts(run.graph()), applied);
        return "V" + v + "__" + description + ".sql";
    }

    /**
     * The next free Flyway version after every local script and every applied row: the highest
     * version's first part plus one (e.g. after {@code 18} or {@code 18.2}, {@code 19}).
     *
     * @param scripts         local scripts
     * @param appliedVersions versions in the history table (may hold future versions)
     * @return the version text
     */
    public static String nextVersion(MigrationSet scripts, List<String> appliedVersions) {
        String max = "0";
        for (ResolvedMigration m : scripts.versioned()) {
            if (Versions.compare(m.version(), max) > 0) {
                max = m.version();
            }
        }
        for (String v : appliedVersions) {
            if (Versions.isValid(v) && Versions.compare(v, max) > 0) {
                max = v;
            }
        }
        String first = Versions.normalize(max).split("\\.")[0];
        return new java.math.BigInteger(first).add(java.math.BigInteger.ONE).toString();
    }

    /**
     * Versioned scripts up to {@code target} (compared as Flyway versions) and every repeatable, as
     * Flyway's {@code target} setting does.
     */
    @Override
    public List<String> replaySet(RevisionGraph graph, String requested) throws MigrationException {
        String target = null;
        if (requested != null) {
            String bare = requested.startsWith("V") || requested.startsWith("v") ? requested.substring(1) : requested;
            bare = bare.replace('_', '.');
            if (!Versions.isValid(bare)) {
                throw new MigrationException("'" + requested + "' after @ is not a Flyway version like 16 or 2.1"
                        + " (form: migrations:DIR[@VERSION])");
            }
            target = Versions.normalize(bare);
        }
        MigrationSet set = toScripts(graph);
        List<String> out = new ArrayList<>();
        boolean found = target == null;
        for (ResolvedMigration r : set.versioned()) {
            int c = target == null ? -1 : Versions.compare(r.version(), target);
            if (c <= 0) {
                out.add(id(r));
            }
            found |= c == 0;
        }
        if (!found) {
            List<ResolvedMigration> versioned = set.versioned();
            throw new MigrationException("no migration has version " + target + (versioned.isEmpty() ? ""
                    : " (versions " + versioned.get(0).version() + " to " + versioned.get(versioned.size() - 1).version()
                    + " exist)"), null);
        }
        set.repeatables().forEach(r -> out.add(id(r)));
        return out;
    }

    /**
     * @param placeholders  Flyway placeholders
     * @param schemas       Flyway's {@code schemas}
     * @param historySchema schema of the version table, or null
     * @param historyTable  version table name, or null for Flyway's default
     * @return a factory of one-folder Flyway projects with these settings
     */
    public static io.driftwatch.tool.MigrationTools folders(Map<String, String> placeholders, List<String> schemas,
                                                            String historySchema, String historyTable) {
        return dir -> new FlywayTool(List.of(dir), placeholders, schemas, historySchema, historyTable);
    }
}
