package io.driftwatch.policy;

import io.driftwatch.model.HistoryState;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code driftwatch audit} found: the input to every reporter. Immutable.
 *
 * @param toolVersion     Driftwatch version that produced it
 * @param startedAt       when the audit started (UTC)
 * @param durationMillis  wall time of the whole audit in milliseconds
 * @param target          what was audited
 * @param expected        where the expected schema came from
 * @param findings        all findings, most severe first, then by object
 * @param history         the version table state: tool, where the database stands, one entry per migration
 * @param failOn          the {@code --fail-on} threshold; null means {@code never}
 * @param notes           informational lines (e.g. shadow choice, version mismatch warning)
 * @param rehearsal       {@code driftwatch gate}'s rehearsal of the pending migrations, null for a plain audit
 */
public record AuditResult(String toolVersion, Instant startedAt, long durationMillis, Target target,
                          Expected expected, List<Finding> findings, HistoryState history,
                          Severity failOn, List<String> notes, Rehearsal rehearsal) {

    public AuditResult {
        findings = List.copyOf(findings);
        history = history == null ? HistoryState.none() : history;
        notes = List.copyOf(notes);
    }

    /** A plain audit's result (no rehearsal). */
    public AuditResult(String toolVersion, Instant startedAt, long durationMillis, Target target,
                       Expected expected, List<Finding> findings, HistoryState history,
                       Severity failOn, List<String> notes) {
        this(toolVersion, startedAt, durationMillis, target, expected, findings, history, failOn, notes, null);
    }

    /**
     * @param rehearsal   the gate's rehearsal
     * @param more        findings of the gate's steps (in-flight, rehearsal, hazards, probes)
     * @param moreNotes   notes of the gate's steps
     * @param totalMillis wall time of the whole gate, milliseconds
     * @return a copy with the rehearsal and the extra findings merged (sorted by {@link io.driftwatch.policy.Classifier#ORDER})
     */
    public AuditResult withGate(Rehearsal rehearsal, List<Finding> more, List<String> moreNotes, long totalMillis) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.addAll(more);
        all.sort(io.driftwatch.policy.Classifier.ORDER);
        List<String> n = new java.util.ArrayList<>(notes);
        n.addAll(moreNotes);
        return new AuditResult(toolVersion, startedAt, totalMillis, target, expected, all, history, failOn, n,
                rehearsal);
    }

    /**
     * @param url           audited database, password masked ({@code postgresql://user@host:5432/db})
     * @param serverVersion {@code server_version} of the target
     * @param schemas       schemas audited
     * @param objectCount   top-level objects read (tables, views, sequences, enums)
     */
    public record Target(String url, String serverVersion, List<String> schemas, int objectCount) {
        public Target {
            schemas = List.copyOf(schemas);
        }
    }

    /**
     * @param locations       migration locations scanned
     * @param historyTable    qualified version table name, e.g. {@code public.flyway_schema_history}
     * @param shadow          description of the shadow server used for the replay
     * @param scriptsFound    number of local scripts
     * @param scriptsReplayed number of scripts replayed to build the expected model
     * @param objectCount     top-level objects in the expected model
     * @param notCompared     null when the schema was compared; else why it was not (version table rows that
     *                        leave what is applied unknown, naming each by {@code installed_rank} and column)
     */
    public record Expected(List<String> locations, String historyTable, String shadow, int scriptsFound,
                           int scriptsReplayed, int objectCount, String notCompared) {
        public Expected {
            locations = List.copyOf(locations);
        }

        /** Where a compared schema came from ({@link #notCompared()} null). */
        public Expected(List<String> locations, String historyTable, String shadow, int scriptsFound,
                        int scriptsReplayed, int objectCount) {
            this(locations, historyTable, shadow, scriptsFound, scriptsReplayed, objectCount, null);
        }
    }

    /** @return number of unwaived findings per severity (every severity present as a key) */
    public Map<Severity, Integer> countsBySeverity() {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        findings.stream().filter(f -> !f.waived()).forEach(f -> m.merge(f.severity(), 1, Integer::sum));
        return m;
    }

    /** @return number of findings a waiver accepts (they are not in {@link #countsBySeverity()}) */
    public int waivedCount() {
        return (int) findings.stream().filter(Finding::waived).count();
    }

    /**
     * @return true when some finding that no waiver accepts is at or above {@link #failOn()}, or (unless
     *         {@code --fail-on never}) the schema was not compared: a run that could not compare cannot pass
     */
    public boolean failed() {
        return failOn != null && (expected.notCompared() != null
                || findings.stream().anyMatch(f -> !f.waived() && f.severity().atLeast(failOn)));
    }
}
