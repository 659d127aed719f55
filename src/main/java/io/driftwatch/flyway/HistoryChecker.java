package io.driftwatch.flyway;

import io.driftwatch.flyway.HistoryFinding.Kind;
import io.driftwatch.model.ObjectRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the local migration scripts with Flyway's version table, using Flyway's states (as
 * {@code org.flywaydb.core.internal.info.MigrationInfoImpl#getState} and Flyway's validation):
 * <ul>
 *   <li>{@link Kind#CHECKSUM_MISMATCH}: a successful {@code SQL} row whose local script has another checksum;</li>
 *   <li>{@link Kind#MISSING}: a successful row with no local script, unless at or below the baseline
 *       version or newer than the newest local script ({@link Kind#FUTURE} then, one per row);</li>
 *   <li>{@link Kind#PENDING}: a local script never applied, newer than the latest applied version
 *       (every never-applied repeatable); {@link Kind#IGNORED}: one older than the latest applied version;</li>
 *   <li>{@link Kind#OUT_OF_ORDER}: a successful row whose version is lower than that of an earlier-ranked
 *       successful (or baseline) row;</li>
 *   <li>{@link Kind#FAILED}: a row with {@code success = false};</li>
 *   <li>{@link Kind#OUTDATED}: a repeatable whose latest successful application has another checksum
 *       than the local script;</li>
 *   <li>{@link Kind#BASELINE}: a baseline row ({@code BASELINE}, {@code SQL_BASELINE}, ...);</li>
 *   <li>{@link Kind#CANNOT_REPLAY}: a successful Java ({@code JDBC}, {@code SPRING_JDBC}) or non-SQL script row;</li>
 *   <li>{@link Kind#INVALID_ROW}: a row that breaks Flyway's rules, one finding per row naming its
 *       {@code installed_rank} and each bad column, and what happens to the row as Flyway reads it: used (NULL
 *       {@code script}, NULL {@code description} on a versioned row, NULL {@code checksum} on an {@code SQL}
 *       row), ignored (a second successful row for a version applied already, a NULL {@code description} on a
 *       repeatable, a version-less baseline or undo row, a NULL {@code success} without a local script), or
 *       the replay is refused ({@link FlywayHistoryReport#replayRefused()}: a NULL or unknown {@code type} or a
 *       malformed {@code version}, on which Flyway fails for the whole table, and a NULL {@code success} on a
 *       migration with a local script, whose outcome is unknown).</li>
 * </ul>
 * {@code DELETE} rows (written by {@code flyway repair} for missing scripts) and {@code UNDO_*} rows
 * cancel the latest earlier row of the same version (repeatables: same description); neither appears
 * in the report. The {@code SCHEMA} row (Flyway created the schemas) is listed as {@code success}.
 *
 * <p>Migrations are named {@code V<normalized version>}, {@code R <description>} or
 * {@code rank <installed_rank>} (rows without a usable version), see {@link ObjectRef#migration}.
 * Pure: no JDBC, no Flyway; thread-safe.
 */
public final class HistoryChecker {

    private static final Set<String> KNOWN_TYPES = Set.of("SQL", "JDBC", "SPRING_JDBC", "BASELINE", "SQL_BASELINE",
            "JDBC_BASELINE", "SCRIPT", "SCRIPT_BASELINE", "CUSTOM", "DELETE", "SCHEMA", "UNDO_SQL", "UNDO_JDBC",
            "UNDO_SCRIPT", "UNDO_CUSTOM");

    /** Creates a checker; it holds no state. */
    public HistoryChecker() {
    }

    /**
     * Matches scripts and history rows.
     *
     * @param scripts the local scripts ({@code MigrationScanner})
     * @param history the version table as read ({@code FlywayHistoryReader}); rows in any order
     * @return findings ordered by version (versioned, then repeatables by description, then rows without
     *         a usable version) then rank; statuses in Flyway {@code info} order (applied rows by rank, then
     *         unapplied versioned scripts by version, then unapplied repeatables); {@code toReplay} = local
     *         versioned scripts whose version has a successful SQL row or is at or below a baseline version
     *         (version order), then the local repeatables ever applied successfully (current content)
     */
    public FlywayHistoryReport check(MigrationSet scripts, AppliedHistory history) {
        List<ResolvedMigration> versioned = scripts.versioned();
        List<ResolvedMigration> repeatables = scripts.repeatables();
        Map<String, ResolvedMigration> localByVersion = new LinkedHashMap<>();
        versioned.forEach(m -> localByVersion.putIfAbsent(Versions.normalize(m.version()), m));
        Map<String, ResolvedMigration> localByDescription = new LinkedHashMap<>();
        repeatables.forEach(m -> localByDescription.putIfAbsent(m.description(), m));

        List<AppliedMigration> rows = new ArrayList<>(history.rows());
        rows.sort(Comparator.comparingInt(AppliedMigration::installedRank));

        List<Keyed> findings = new ArrayList<>();
        List<AppliedMigration> usable = new ArrayList<>();
        Set<AppliedMigration> invalid = new HashSet<>();
        List<String> refusals = new ArrayList<>();
        for (AppliedMigration r : rows) {
            List<Problem> problems = problems(r, localByVersion, localByDescription);
            if (problems.isEmpty()) {
                usable.add(r);
                continue;
            }
            Effect effect = problems.stream().map(Problem::effect).max(Comparator.naturalOrder()).orElseThrow();
            String what = "version table row installed_rank " + r.installedRank() + ", " + String.join("; ",
                    problems.stream().map(p -> "column " + p.column() + ": " + p.what()).toList());
            findings.add(keyed(r, finding(Kind.INVALID_ROW, r, null, null, refName(r) + ": " + what + "; "
                    + effect.consequence())));
            if (effect == Effect.REFUSE) {
                refusals.add(what);
            }
            if (effect == Effect.USE) {
                usable.add(r);
            } else {
                invalid.add(r);
            }
        }

        // DELETE / UNDO rows cancel the latest earlier live row of the same migration
        Set<AppliedMigration> removed = new HashSet<>();
        for (int i = 0; i < usable.size(); i++) {
            AppliedMigration d = usable.get(i);
            if (!cancels(d)) {
                continue;
            }
            removed.add(d);
            for (int j = i - 1; j >= 0; j--) {
                AppliedMigration e = usable.get(j);
                if (!removed.contains(e) && !cancels(e) && sameMigration(d, e)) {
                    removed.add(e);
                    break;
                }
            }
        }
        // a second successful row for a version already applied (and not cancelled since) is a hand edit:
        // Flyway lists it as out of order and runs nothing; the version is replayed once
        Map<String, AppliedMigration> appliedByVersion = new HashMap<>();
        for (int i = 0; i < usable.size(); i++) {
            AppliedMigration r = usable.get(i);
            if (cancels(r)) {
                if (r.version() != null) {
                    appliedByVersion.remove(Versions.normalize(r.version()));
                }
                continue;
            }
            if (removed.contains(r) || r.version() == null || !r.success() || "SCHEMA".equals(r.type())) {
                continue;
            }
            AppliedMigration first = appliedByVersion.putIfAbsent(Versions.normalize(r.version()), r);
            if (first != null) {
                removed.add(r);
                invalid.add(r);
                findings.add(keyed(r, finding(Kind.INVALID_ROW, r, null, null, refName(r)
                        + ": version table row installed_rank " + r.installedRank() + ", column version: "
                        + r.version() + " is applied already (installed_rank " + first.installedRank()
                        + "); " + Effect.IGNORE.consequence())));
            }
        }
        List<AppliedMigration> live = usable.stream()
                .filter(r -> !removed.contains(r) && !"SCHEMA".equals(r.type())).toList();
        Set<AppliedMigration> liveSet = new HashSet<>(live);

        String baseline = null;
        String latestApplied = null;
        for (AppliedMigration r : live) {
            if (r.version() != null && r.success()) {
                if (isBaseline(r) && (baseline == null || Versions.compare(r.version(), baseline) > 0)) {
                    baseline = r.version();
                }
                if (latestApplied == null || Versions.compare(r.version(), latestApplied) > 0) {
                    latestApplied = r.version();
                }
            }
        }
        String newestLocal = versioned.isEmpty() ? null : versioned.get(versioned.size() - 1).version();
        for (ResolvedMigration m : versioned) {
            if (Versions.compare(m.version(), newestLocal) > 0) {
                newestLocal = m.version();
            }
        }

        List<MigrationStatus> statuses = new ArrayList<>();
        Set<String> versionsWithRows = new HashSet<>();
        Set<String> versionsReplayed = new HashSet<>();
        Set<String> repeatablesWithRows = new HashSet<>();
        Set<String> repeatablesReplayed = new HashSet<>();
        Map<String, AppliedMigration> latestRepeatable = new HashMap<>();
        for (AppliedMigration r : live) {
            if (r.version() == null && r.success() && !r.isJava() && !isBaseline(r)) {
                latestRepeatable.put(r.description(), r);
            }
        }

        String maxSoFar = null;
        for (AppliedMigration r : rows) {
            if (invalid.contains(r)) {
                // listed as it is; its version is accounted for (not also pending or ignored)
                ResolvedMigration local = null;
                if (Versions.isValid(r.version())) {
                    versionsWithRows.add(Versions.normalize(r.version()));
                    local = localByVersion.get(Versions.normalize(r.version()));
                } else if (r.version() == null && r.description() != null) {
                    local = localByDescription.get(r.description());
                }
                statuses.add(status(r, local, "invalid"));
                continue;
            }
            if ("SCHEMA".equals(r.type()) && !removed.contains(r)) {
                statuses.add(status(r, null, "success"));
            }
            if (!liveSet.contains(r)) {
                continue;
            }
            if (r.version() != null) {
                String v = Versions.normalize(r.version());
                versionsWithRows.add(v);
                ResolvedMigration local = localByVersion.get(v);
                boolean outOfOrder = r.success() && maxSoFar != null && Versions.compare(r.version(), maxSoFar) < 0;
                if (r.success() && (maxSoFar == null || Versions.compare(r.version(), maxSoFar) > 0)) {
                    maxSoFar = r.version();
                }
                statuses.add(status(r, local, versionedRow(r, local, v, outOfOrder, baseline, newestLocal,
                        versionsReplayed, findings)));
            } else {
                repeatablesWithRows.add(r.description());
                ResolvedMigration local = localByDescription.get(r.description());
                String state = repeatableRow(r, local, latestRepeatable.get(r.description()) == r,
                        repeatablesReplayed, findings);
                if (state != null) {
                    statuses.add(status(r, local, state));
                }
            }
        }

        List<ResolvedMigration> toReplay = new ArrayList<>();
        for (ResolvedMigration m : versioned) {
            String v = Versions.normalize(m.version());
            boolean belowBaseline = baseline != null && Versions.compare(m.version(), baseline) <= 0;
            if (versionsReplayed.contains(v) || belowBaseline) {
                toReplay.add(m);
            }
            if (versionsWithRows.contains(v)) {
                continue;
            }
            String state;
            if (belowBaseline) {
                state = "below baseline";
            } else if (latestApplied != null && Versions.compare(m.version(), latestApplied) < 0) {
                state = "ignored";
                findings.add(keyed(m, new HistoryFinding(Kind.IGNORED, ref(m), m.script(), null, null,
                        label(m) + ": not applied but older than the latest applied version " + latestApplied
                                + " (Flyway skips it unless outOfOrder is enabled)")));
            } else {
                state = "pending";
                findings.add(keyed(m, new HistoryFinding(Kind.PENDING, ref(m), m.script(), null, null,
                        label(m) + ": not applied yet (" + m.script() + ")")));
            }
            statuses.add(localStatus(m, state));
        }
        for (ResolvedMigration m : repeatables) {
            if (repeatablesReplayed.contains(m.description())) {
                toReplay.add(m);
            }
            if (!repeatablesWithRows.contains(m.description())) {
                findings.add(keyed(m, new HistoryFinding(Kind.PENDING, ref(m), m.script(), null, null,
                        label(m) + ": not applied yet (" + m.script() + ")")));
                statuses.add(localStatus(m, "pending"));
            }
        }

        findings.sort(Keyed.ORDER);
        String refused = refusals.isEmpty() ? null : String.join("; ", refusals);
        return new FlywayHistoryReport(findings.stream().map(Keyed::finding).toList(), statuses, toReplay,
                scripts.migrations(), refused);
    }

    /**
     * The report when there is no version table to compare with: no findings, every script pending and
     * to be replayed.
     *
     * @param scripts the local scripts
     * @return no findings; one {@code pending} status per script; {@code toReplay} = {@code allScripts} =
     *         versioned scripts in version order, then repeatables
     */
    public FlywayHistoryReport withoutHistory(MigrationSet scripts) {
        List<ResolvedMigration> all = new ArrayList<>(scripts.versioned());
        all.addAll(scripts.repeatables());
        return new FlywayHistoryReport(List.of(), all.stream().map(m -> localStatus(m, "pending")).toList(), all, all);
    }

    private static String versionedRow(AppliedMigration r, ResolvedMigration local, String v, boolean outOfOrder,
                                       String baseline, String newestLocal, Set<String> versionsReplayed,
                                       List<Keyed> findings) {
        if (isBaseline(r)) {
            findings.add(keyed(r, finding(Kind.BASELINE, r, null, null, refName(r) + " " + r.description()
                    + ": the version table starts from a baseline at version " + v
                    + "; scripts at or below it were not run by Flyway here")));
            return "baseline";
        }
        if (!r.success()) {
            findings.add(keyed(r, finding(Kind.FAILED, r, null, null, refName(r) + " " + r.description()
                    + ": failed when applied (rank " + r.installedRank() + "); fix it and run flyway repair")));
            return "failed";
        }
        if (isNotSql(r)) {
            findings.add(keyed(r, finding(Kind.CANNOT_REPLAY, r, null, null, refName(r) + " " + r.description()
                    + ": applied by a " + r.type() + " migration, which cannot be replayed into the shadow database")));
            return outOfOrder ? "out of order" : "success";
        }
        if (local == null) {
            if (baseline != null && Versions.compare(r.version(), baseline) <= 0) {
                return "success";
            }
            if (newestLocal == null || Versions.compare(r.version(), newestLocal) > 0) {
                findings.add(keyed(r, finding(Kind.FUTURE, r, null, r.version(), refName(r) + " " + r.description()
                        + ": applied version " + r.version() + " is newer than "
                        + (newestLocal == null ? "any local script (there are none)"
                        : "the newest local script (V" + Versions.normalize(newestLocal) + ")"))));
                return "future";
            }
            findings.add(keyed(r, finding(Kind.MISSING, r, null, r.script(), refName(r) + " " + r.description()
                    + ": applied (rank " + r.installedRank() + ") but " + r.script()
                    + " is not among the local scripts")));
            return "missing";
        }
        versionsReplayed.add(v);
        if (r.checksum() != null && r.checksum() != local.checksum()) {
            findings.add(keyed(r, new HistoryFinding(Kind.CHECKSUM_MISMATCH, ObjectRef.migration(refName(r)),
                    local.script(), String.valueOf(local.checksum()), String.valueOf(r.checksum()),
                    refName(r) + " " + local.description() + ": script edited after it was applied (checksum "
                            + r.checksum() + " in history, " + local.checksum() + " on disk)")));
        }
        if (outOfOrder) {
            findings.add(keyed(r, finding(Kind.OUT_OF_ORDER, r, null, null, refName(r) + " " + r.description()
                    + ": applied out of order (rank " + r.installedRank() + ", after a higher version)")));
            return "out of order";
        }
        return "success";
    }

    /** @return the state word, or null for a superseded application (not listed) */
    private static String repeatableRow(AppliedMigration r, ResolvedMigration local, boolean latest,
                                        Set<String> repeatablesReplayed, List<Keyed> findings) {
        if (!r.success()) {
            findings.add(keyed(r, finding(Kind.FAILED, r, null, null, refName(r)
                    + ": failed when applied (rank " + r.installedRank() + "); fix it and run flyway repair")));
            return "failed";
        }
        if (isNotSql(r)) {
            findings.add(keyed(r, finding(Kind.CANNOT_REPLAY, r, null, null, refName(r)
                    + ": applied by a " + r.type() + " migration, which cannot be replayed into the shadow database")));
            return "success";
        }
        if (!latest) {
            return null;
        }
        if (local == null) {
            findings.add(keyed(r, finding(Kind.MISSING, r, null, r.script(), refName(r)
                    + ": applied (rank " + r.installedRank() + ") but " + r.script()
                    + " is not among the local scripts")));
            return "missing";
        }
        repeatablesReplayed.add(r.description());
        if (r.checksum() != null && r.checksum() != local.checksum()) {
            findings.add(keyed(r, new HistoryFinding(Kind.OUTDATED, ObjectRef.migration(refName(r)), local.script(),
                    String.valueOf(local.checksum()), String.valueOf(r.checksum()), refName(r)
                    + ": changed since it was last applied (checksum " + r.checksum() + " in history, "
                    + local.checksum() + " on disk); the next migrate re-applies it")));
            return "outdated";
        }
        return "success";
    }

    /** What a bad row does to the replay, in increasing order of harm. */
    private enum Effect {
        /** the row is used as Flyway reads it */
        USE,
        /** the row is ignored (Flyway does not count it as an application either) */
        IGNORE,
        /** what is applied cannot be known: the schema is not compared */
        REFUSE;

        String consequence() {
            return switch (this) {
                case USE -> "Flyway still counts it, and so does the audit";
                case IGNORE -> "the row is ignored, as Flyway does not count it as an application";
                case REFUSE -> "what is applied is unknown, so the schema was not compared";
            };
        }
    }

    /** One bad column of a row: its name, what is wrong, and what that does to the replay. */
    private record Problem(String column, String what, Effect effect) {
    }

    /**
     * Flyway's rules for a row ({@code CoreMigrationType}, {@code MigrationVersion.fromVersion}, the table's
     * NOT NULL columns), and what Flyway 13 does with a row that breaks them (tried on Flyway 13.12.0): an
     * unknown or NULL {@code type} and a malformed {@code version} make Flyway fail on the whole table
     * ({@code Unknown migration type}, a NullPointerException, {@code Invalid version}); a NULL
     * {@code success} reads as failed; a NULL {@code script} or {@code checksum} is accepted (rows are matched
     * by version); a NULL {@code description} fails validation but the version still counts as applied.
     *
     * @return the row's problems, empty for a good row
     */
    private static List<Problem> problems(AppliedMigration r, Map<String, ResolvedMigration> localByVersion,
                                          Map<String, ResolvedMigration> localByDescription) {
        List<Problem> out = new ArrayList<>();
        if (r.type() == null) {
            out.add(new Problem("type", "NULL (Flyway cannot read the table: it fails on the NULL type)",
                    Effect.REFUSE));
        } else if (!KNOWN_TYPES.contains(r.type()) && !r.isJava()) {
            out.add(new Problem("type", "'" + r.type() + "' is not a Flyway migration type (Flyway cannot read the"
                    + " table: \"Unknown migration type\")", Effect.REFUSE));
        }
        if (r.version() != null && !Versions.isValid(r.version())) {
            out.add(new Problem("version", "'" + r.version() + "' is not a Flyway version (Flyway cannot read the"
                    + " table: \"Invalid version\")", Effect.REFUSE));
        }
        boolean versioned = r.version() != null;
        if (r.successNull()) {
            boolean local = versioned ? Versions.isValid(r.version())
                    && localByVersion.containsKey(Versions.normalize(r.version()))
                    : r.description() != null && localByDescription.containsKey(r.description());
            out.add(local ? new Problem("success", "NULL (Flyway reads it as failed; whether it ran is unknown)",
                    Effect.REFUSE)
                    : new Problem("success", "NULL (Flyway reads it as failed; no local script has it)", Effect.IGNORE));
        }
        if (r.description() == null) {
            out.add(versioned ? new Problem("description", "NULL (Flyway matches the row by version)", Effect.USE)
                    : new Problem("description", "NULL on a repeatable row (Flyway matches repeatables by"
                    + " description)", Effect.IGNORE));
        }
        if (r.script() == null) {
            out.add(new Problem("script", "NULL (Flyway matches the row by "
                    + (versioned ? "version" : "description") + ")", Effect.USE));
        }
        if ("SQL".equals(r.type()) && r.checksum() == null) {
            out.add(new Problem("checksum", "NULL on an SQL row (Flyway skips the checksum check)", Effect.USE));
        }
        if (!versioned && r.type() != null && (isBaseline(r) || r.type().startsWith("UNDO_"))) {
            out.add(new Problem("version", "NULL on a " + r.type() + " row", Effect.IGNORE));
        }
        return out;
    }

    private static boolean isBaseline(AppliedMigration r) {
        return r.type() != null && r.type().endsWith("BASELINE");
    }

    private static boolean cancels(AppliedMigration r) {
        return "DELETE".equals(r.type()) || r.type().startsWith("UNDO_");
    }

    private static boolean isNotSql(AppliedMigration r) {
        return !"SQL".equals(r.type());
    }

    private static boolean sameMigration(AppliedMigration a, AppliedMigration b) {
        if (a.version() == null || b.version() == null) {
            return a.version() == null && b.version() == null && a.description().equals(b.description());
        }
        return Versions.compare(a.version(), b.version()) == 0;
    }

    private static String refName(AppliedMigration r) {
        if (Versions.isValid(r.version())) {
            return "V" + Versions.normalize(r.version());
        }
        if (r.version() == null && r.description() != null && r.type() != null
                && KNOWN_TYPES.contains(r.type()) && !isBaseline(r) && !"SCHEMA".equals(r.type())) {
            return "R " + r.description();
        }
        return "rank " + r.installedRank();
    }

    private static ObjectRef ref(ResolvedMigration m) {
        return ObjectRef.migration(m.repeatable() ? "R " + m.description() : "V" + Versions.normalize(m.version()));
    }

    private static String label(ResolvedMigration m) {
        return m.repeatable() ? "R " + m.description() : "V" + Versions.normalize(m.version()) + " " + m.description();
    }

    private static HistoryFinding finding(Kind kind, AppliedMigration r, String expected, String actual,
                                          String message) {
        return new HistoryFinding(kind, ObjectRef.migration(refName(r)), r.script(), expected, actual, message);
    }

    private static MigrationStatus status(AppliedMigration r, ResolvedMigration local, String state) {
        return new MigrationStatus(r.version(), r.description(), r.type(), r.script(), state, r.installedRank(),
                r.installedOn(), r.installedBy(), local == null ? null : local.checksum(), r.checksum());
    }

    private static MigrationStatus localStatus(ResolvedMigration m, String state) {
        return new MigrationStatus(m.version(), m.description(), "SQL", m.script(), state, null, null, null,
                m.checksum(), null);
    }

    private static Keyed keyed(AppliedMigration r, HistoryFinding f) {
        if (Versions.isValid(r.version())) {
            return new Keyed(0, r.version(), r.installedRank(), f);
        }
        String name = refName(r);
        return name.startsWith("R ") ? new Keyed(1, r.description(), r.installedRank(), f)
                : new Keyed(2, "", r.installedRank(), f);
    }

    private static Keyed keyed(ResolvedMigration m, HistoryFinding f) {
        return m.repeatable() ? new Keyed(1, m.description(), Integer.MAX_VALUE, f)
                : new Keyed(0, m.version(), Integer.MAX_VALUE, f);
    }

    /** A finding with its sort key: group (versioned, repeatable, rank-only), version or description, rank. */
    private record Keyed(int group, String key, int rank, HistoryFinding finding) {
        static final Comparator<Keyed> ORDER = Comparator.comparingInt(Keyed::group)
                .thenComparing((a, b) -> a.group() == 0 ? Versions.compare(a.key(), b.key()) : a.key().compareTo(b.key()))
                .thenComparingInt(Keyed::rank);
    }
}
