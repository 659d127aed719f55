package io.driftwatch.reconcile;

import io.driftwatch.plan.Hazard;
import io.driftwatch.plan.HazardType;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.Statement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Plan} as a bridge migration file a DBA can read and Flyway or psql can run: a header
 * saying what the file does, from which audit, whether it was verified and which hazards it holds;
 * then each statement with its reason and hazards. Destructive statements are written commented
 * out unless the plan allows them.
 *
 * <p>Every comment line that carries text from a database or the plan (names, reasons, hazard messages, the
 * verification outcome) goes through {@link SqlComments#text}, and statements are commented out by
 * {@link SqlComments#commentOut}: no name can end a comment and become SQL. The layout is recorded as
 * {@link File#live()}: for each statement that runs, the text before it (comments and blank lines only) and its
 * SQL, so the verifier can check that what Flyway and psql execute is exactly the plan ({@link Verifier}).
 *
 * <p>Flyway must take the bytes as they are: {@link #flywayConf} is the per-script configuration
 * {@code <script>.conf} ({@code placeholderReplacement=false}, {@code encoding=UTF-8}, and
 * {@code executeInTransaction=false} when a statement cannot run in a transaction, e.g. {@code CREATE INDEX
 * CONCURRENTLY}); Flyway 13 reads these keys in {@code org.flywaydb.core.internal.sqlscript.SqlScriptMetadata}.
 * Every statement is idempotent, so a partial run can simply be repeated.
 */
public final class BridgeWriter {

    /** Verification state written into the header. */
    public enum Verification {
        /** the file's bytes were run in a shadow: executed exactly the plan, re-diffed to zero, ran twice */
        VERIFIED,
        /** verification ran and failed */
        FAILED,
        /** skipped with {@code --no-verify} */
        SKIPPED
    }

    /**
     * How the file is meant to be run, for its header.
     *
     * @param flywaySidecar true when the {@code <script>.conf} of {@link #flywayConf} is written next to the file
     *                      (Flyway format); false for a plain file
     * @param psql          true when the verification runs the file with psql (else Flyway runs it twice)
     */
    public record Layout(boolean flywaySidecar, boolean psql) {
        /** @return the Flyway format, verified with psql */
        public static Layout flyway() {
            return new Layout(true, true);
        }
    }

    /**
     * One statement of the file that runs.
     *
     * @param lead      the text between the previous running statement (or the start of the file) and this one:
     *                  only blank lines and {@code --} comment lines, each ending in LF
     * @param sql       the statement's SQL exactly as in the plan
     * @param statement the plan's statement
     */
    public record Live(String lead, String sql, Statement statement) {
    }

    /**
     * A rendered file.
     *
     * @param text the whole file: {@code live[0].lead + live[0].sql + "\n" + live[1].lead + ... + tail}
     * @param live the statements that run, in file order (destructive ones only with {@code --allow-destructive})
     * @param tail the text after the last running statement: comments and blank lines only
     */
    public record File(String text, List<Live> live, String tail) {
        public File {
            live = List.copyOf(live);
        }
    }

    /**
     * @param plan         the plan
     * @param purpose      what the file moves where, one line, passwords masked, e.g.
     *                     {@code Moves the live schema of postgresql://u@h/db to the schema the applied migrations create}
     * @param toolVersion  Driftwatch version
     * @param generatedAt  when
     * @param verification verification outcome
     * @param details      extra header lines (e.g. residual changes), may be empty
     * @return the file content ({@link #file} with {@link Layout#flyway()})
     */
    public String render(Plan plan, String purpose, String toolVersion, Instant generatedAt,
                         Verification verification, List<String> details) {
        return file(plan, purpose, toolVersion, generatedAt, verification, details, Layout.flyway()).text();
    }

    /**
     * @param plan         the plan
     * @param purpose      what the file moves where, one line (see {@link #render})
     * @param toolVersion  Driftwatch version
     * @param generatedAt  when
     * @param verification verification outcome the header states
     * @param details      extra header lines (the failure, residual changes), may be empty
     * @param layout       how the file is run, for the header
     * @return the file and its layout
     */
    public File file(Plan plan, String purpose, String toolVersion, Instant generatedAt,
                     Verification verification, List<String> details, Layout layout) {
        StringBuilder sb = new StringBuilder();
        sb.append("-- Driftwatch bridge migration\n");
        sb.append(SqlComments.line("-- ", "Generated " + generatedAt + " by driftwatch " + toolVersion));
        sb.append(SqlComments.line("-- ", purpose + ": " + plan.statements().size()
                + (plan.statements().size() == 1 ? " statement" : " statements")
                + ", each idempotent (safe to run twice)."));
        switch (verification) {
            case VERIFIED -> sb.append("-- Verified: Driftwatch ran this file, byte for byte, in a shadow database: with Flyway\n")
                    .append("-- (placeholders defined, replacement switched off by the per-script config named below)\n")
                    .append(layout.psql() ? "-- on a clone of the starting schema, and with psql -X -v ON_ERROR_STOP=1 -f twice on another.\n"
                            : "-- on a clone of the starting schema, twice (psql is not installed where it was verified).\n")
                    .append("-- Each run executed exactly the statements below, in this order, and left no difference to\n")
                    .append("-- the target schema but those the header lists.\n");
            case FAILED -> sb.append("-- UNVERIFIED: verification in a shadow database failed; review before running.\n");
            case SKIPPED -> sb.append("-- UNVERIFIED: verification was skipped (--no-verify).\n");
        }
        for (String d : details) {
            sb.append(SqlComments.line("--   ", d));
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
                    + "--allow-destructive to include them (do not uncomment them by hand).\n");
        }
        if (layout.flywaySidecar()) {
            sb.append("-- Flyway runs this file with its per-script config <script>.conf, written next to it:\n")
                    .append("-- placeholderReplacement=false and encoding=UTF-8, so Flyway executes these bytes as they are")
                    .append(plan.hasNonTransactional() ? ",\n-- and executeInTransaction=false (see below).\n" : ".\n")
                    .append("-- Keep the two files together.\n");
        } else {
            sb.append("-- Run it with: psql -X -v ON_ERROR_STOP=1 -f <this file> (it is UTF-8). Flyway would replace\n")
                    .append("-- placeholders in it: to run it with Flyway, put a <script>.conf with\n")
                    .append("-- placeholderReplacement=false and encoding=UTF-8 next to it.\n");
        }
        if (plan.hasNonTransactional()) {
            sb.append("-- Contains statements that cannot run inside a transaction (CONCURRENTLY). Flyway must run\n")
                    .append("-- this script outside a transaction: its per-script config file <script>.conf with\n")
                    .append("-- executeInTransaction=false. With psql, run it without -1.\n");
        }
        List<Live> live = new ArrayList<>();
        StringBuilder lead = sb;
        int i = 0;
        for (Statement s : plan.statements()) {
            i++;
            lead.append('\n').append(SqlComments.line("-- [" + i + "] ", s.why()));
            for (Hazard h : s.hazards()) {
                lead.append(SqlComments.line("--     " + h.type() + ": ", h.message()));
            }
            if (s.destructive() && !plan.options().allowDestructive()) {
                lead.append("--     destructive: commented out\n");
                lead.append(SqlComments.commentOut(s.sql()));
            } else {
                live.add(new Live(lead.toString(), s.sql(), s));
                lead = new StringBuilder();
            }
        }
        StringBuilder text = new StringBuilder();
        for (Live l : live) {
            text.append(l.lead()).append(l.sql()).append('\n');
        }
        String tail = live.isEmpty() ? sb.toString() : lead.toString();
        text.append(tail);
        return new File(text.toString(), live, tail);
    }

    /**
     * @param plan the plan
     * @return Flyway's per-script configuration for the bridge ({@code <script>.conf}): placeholder replacement
     *         off and UTF-8 always, {@code executeInTransaction=false} when a statement cannot run in a transaction
     */
    public static String flywayConf(Plan plan) {
        return "# Flyway per-script configuration written by Driftwatch: run the bridge's bytes as they are\n"
                + "# (no placeholder replacement, read as UTF-8)"
                + (plan.hasNonTransactional()
                ? ", outside a transaction: it holds statements\n# (CREATE/DROP INDEX CONCURRENTLY) that cannot run inside one.\n"
                : ".\n")
                + "placeholderReplacement=false\n"
                + "encoding=UTF-8\n"
                + (plan.hasNonTransactional() ? "executeInTransaction=false\n" : "");
    }


}
