package io.driftwatch.reconcile;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.Statement;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Plan} as a bridge migration file a DBA can read and Flyway can run: a header
 * saying what the file does, from which audit, whether it was verified and which hazards it holds;
 * then each statement with its reason and hazards. Destructive statements are written commented
 * out unless the plan allows them.
 *
 * <p>When the plan holds statements that cannot run in a transaction ({@code CREATE INDEX
 * CONCURRENTLY}), Flyway must run the script outside one: its per-script configuration file
 * {@code <script>.conf} with {@code executeInTransaction=false} (see {@link #flywayConf()}). Every
 * statement is idempotent, so a partial run can simply be repeated.
 */
public final class BridgeWriter {

    /** Verification state written into the header. */
    public enum Verification {
        /** applied to a clone, re-diffed to zero, applied twice */
        VERIFIED,
        /** verification ran and failed */
        FAILED,
        /** skipped with {@code --no-verify} */
        SKIPPED
    }

    /**
     * @param plan         the plan
     * @param purpose      what the file moves where, one line, passwords masked, e.g.
     *                     {@code Moves the live schema of postgresql://u@h/db to the schema the applied migrations create}
     * @param toolVersion  Driftwatch version
     * @param generatedAt  when
     * @param verification verification outcome
     * @param details      extra header lines (e.g. residual changes), may be empty
     * @return the file content
     */
    public String render(Plan plan, String purpose, String toolVersion, Instant generatedAt,
                         Verification verification, List<String> details) {
        StringBuilder sb = new StringBuilder();
        sb.append("-- Driftwatch bridge migration\n");
        sb.append("-- Generated ").append(generatedAt).append(" by driftwatch ").append(toolVersion).append('\n');
        sb.append("-- ").append(oneLine(purpose)).append(": ")
                .append(plan.statements().size()).append(plan.statements().size() == 1 ? " statement" : " statements")
                .append(", each idempotent (safe to run twice).\n");
        switch (verification) {
            case VERIFIED -> sb.append("-- Verified: applied to a clone of the starting schema in a shadow database, ")
                    .append("re-diffed to zero changes, and applied a second time.\n");
            case FAILED -> sb.append("-- UNVERIFIED: verification in a shadow database failed; review before running.\n");
            case SKIPPED -> sb.append("-- UNVERIFIED: verification was skipped (--no-verify).\n");
        }
        for (String d : details) {
            sb.append("--   ").append(d).append('\n');
        }
        Map<HazardType, Integer> counts = new EnumMap<>(HazardType.class);
        plan.statements().forEach(s -> s.hazards().forEach(h -> counts.merge(h.type(), 1, Integer::sum)));
        if (!counts.isEmpty()) {
            sb.append("-- Hazards: ").append(counts.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))).append('\n');
        }
        long destructive = plan.statements().stream().filter(Statement::destructive).count();
        if (destructive > 0) {
            sb.append(plan.options().allowDestructive()
                    ? "-- Contains " + destructive + " destructive statement(s) (--allow-destructive): they drop data.\n"
                    : "-- " + destructive + " destructive statement(s) are commented out; regenerate with "
                    + "--allow-destructive to include them.\n");
        }
        if (plan.hasNonTransactional()) {
            sb.append("-- Contains statements that cannot run inside a transaction (CONCURRENTLY). Flyway must run\n")
                    .append("-- this script outside a transaction: its per-script config file <script>.conf with\n")
                    .append("-- executeInTransaction=false (written next to this file). With psql, run it without -1.\n");
        }
        int i = 0;
        for (Statement s : plan.statements()) {
            i++;
            sb.append('\n').append("-- [").append(i).append("] ").append(oneLine(s.why())).append('\n');
            for (Hazard h : s.hazards()) {
                sb.append("--     ").append(h.type()).append(": ").append(oneLine(h.message())).append('\n');
            }
            if (s.destructive() && !plan.options().allowDestructive()) {
                sb.append("--     destructive: commented out\n");
                for (String line : s.sql().split("\n", -1)) {
                    sb.append("-- ").append(line).append('\n');
                }
            } else {
                sb.append(s.sql()).append('\n');
            }
        }
        return sb.toString();
    }

    /** @return Flyway's per-script configuration for a non-transactional bridge */
    public static String flywayConf() {
        return "# Flyway per-script configuration written by Driftwatch: the bridge holds statements\n"
                + "# (CREATE/DROP INDEX CONCURRENTLY) that cannot run inside a transaction.\n"
                + "executeInTransaction=false\n";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
