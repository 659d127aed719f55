package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.HistoryChecker;
import io.driftwatch.flyway.HistoryFinding;
import io.driftwatch.flyway.HistoryFinding.Kind;
import io.driftwatch.flyway.FlywayHistoryReport;
import io.driftwatch.flyway.FlywayHistoryReader;
import io.driftwatch.tool.HistoryNotFoundException;
import io.driftwatch.tool.HistoryUnreadableException;
import io.driftwatch.flyway.FlywayHistoryTable;
import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.flyway.AppliedMigration;
import io.driftwatch.model.Identifiers;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;

import io.driftwatch.reconcile.ScriptProof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Proves a stamp on a copy of the version table, never on the target: creates a database
 * {@code dw_stamp_<random>} on the shadow server, creates the table there with Flyway 13's exact column
 * definitions (and its {@code <table>_pk} primary key and {@code <table>_s_idx} index), inserts the rows read
 * from the target, checks that the copy hashes like the target, runs the script (its guard must pass), reads
 * the table back, re-runs {@link HistoryChecker#check}, and runs the script a second time, which the guard
 * must refuse. The database is dropped afterwards. The script runs as the bytes handed out, the way the docs say to
 * apply it: {@code psql -X -v ON_ERROR_STOP=1 -f} ({@link ScriptProof#psql}) when psql is installed, whose log must
 * show exactly {@link StampPlan#statements()} (else {@link StampVerification#mismatch()}); without psql, one JDBC
 * statement holding the whole script.
 *
 * <p>Residual findings that count as expected (the stamp leaves them on purpose and says so in its header):
 * a finding of the same kind on the same migration that the original report already had, of a kind the stamp
 * does not resolve ({@code PENDING}/{@code IGNORED}/{@code OUTDATED} of a script whose objects are absent,
 * {@code MISSING} without {@code --forget-missing}, {@code FUTURE}, {@code BASELINE}, {@code OUT_OF_ORDER},
 * {@code CANNOT_REPLAY}, {@code INVALID_ROW}); {@code OUT_OF_ORDER} of a script the stamp inserted below the
 * latest applied version (Flyway records an {@code outOfOrder} migrate the same way); the {@code BASELINE}
 * the stamp inserted. Anything else makes the stamp unverified.
 */
public final class StampVerifier {

    /** Creates a verifier; it holds no state. */
    public StampVerifier() {
    }

    /**
     * @param server   a server Driftwatch may write to (the shadow server)
     * @param history  the target's version table as read (the plan was made from it)
     * @param scripts  the local scripts
     * @param before   the history check the plan was made from
     * @param plan     the plan (with actions)
     * @param settings the settings the plan was made with
     * @return the outcome; a failure of the script on the copy is an unverified outcome, not an exception
     * @throws SQLException when the copy cannot be created or read on the shadow server
     */
    public StampVerification verify(ShadowServer server, AppliedHistory history, MigrationSet scripts,
                                    FlywayHistoryReport before, StampPlan plan, StampSettings settings) throws SQLException {
        List<String> problems = new ArrayList<>();
        Path psql = ScriptProof.findPsql(server);
        Path file = null;
        try (ShadowDatabase db = server.createDatabase("dw_stamp")) {
            file = Files.createTempFile("driftwatch-stamp-", ".sql");
            Files.writeString(file, plan.sql(), StandardCharsets.UTF_8);
            try (Connection c = db.connect()) {
                copy(c, history);
                String hash = HistoryHash.read(c, history.schema(), history.table());
                if (!hash.equals(plan.guardHash())) {
                    problems.add("the copy of the version table hashes to " + hash + ", not " + plan.guardHash()
                            + " like the target; the guard could not be tested");
                }
            }
            Run first = run(db, plan, psql, file, true);
            if (first.mismatch() != null) {
                return new StampVerification(false, List.of(), List.of(), List.of(first.mismatch()), false,
                        first.mismatch());
            }
            if (first.error() != null) {
                problems.add("the stamp failed on a copy of the version table: " + first.error());
                return new StampVerification(false, List.of(), List.of(), problems, false);
            }
            AppliedHistory after;
            try (Connection c = db.connect()) {
                after = new FlywayHistoryReader().read(c, history.schema(), history.table());
            } catch (HistoryNotFoundException | HistoryUnreadableException e) {
                throw new SQLException("cannot read the copy of the version table back: " + e.getMessage(), e);
            }
            List<HistoryFinding> residual = new HistoryChecker().check(scripts, after).findings();
            List<HistoryFinding> unexpected = unexpected(residual, before, plan, settings);
            Run second = run(db, plan, psql, file, false);
            if (second.mismatch() != null) {
                return new StampVerification(false, residual, unexpected, List.of(second.mismatch()), false,
                        second.mismatch());
            }
            boolean refused = second.error() != null && second.error().contains("changed since the audit");
            if (!refused) {
                problems.add(second.error() == null ? "a second run of the stamp was not refused by its guard"
                        : "a second run of the stamp failed, but not in its guard: " + second.error());
            }
            return new StampVerification(unexpected.isEmpty() && problems.isEmpty(), residual, unexpected, problems,
                    refused);
        } catch (IOException e) {
            problems.add("the stamp could not be run on a copy of the version table: " + e.getMessage());
            return new StampVerification(false, List.of(), List.of(), problems, false);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * One run of the script on the copy.
     *
     * @param error    the server's first message line when it failed, else null
     * @param mismatch null when psql sent exactly the script's statements (up to the failing one), else why not
     */
    private record Run(String error, String mismatch) {
    }

    private static List<HistoryFinding> unexpected(List<HistoryFinding> residual, FlywayHistoryReport before, StampPlan plan,
                                                   StampSettings settings) {
        Set<String> inserted = new HashSet<>();
        boolean baselined = false;
        for (StampAction a : plan.actions()) {
            if (a instanceof StampAction.InsertApplied i) {
                inserted.add(i.migration().script());
            } else if (a instanceof StampAction.Baseline) {
                baselined = true;
            }
        }
        Set<String> earlier = new HashSet<>();
        for (HistoryFinding f : before.findings()) {
            earlier.add(f.kind() + " " + f.ref().qualifiedName());
        }
        List<HistoryFinding> out = new ArrayList<>();
        for (HistoryFinding f : residual) {
            boolean wasThere = earlier.contains(f.kind() + " " + f.ref().qualifiedName());
            boolean expected = switch (f.kind()) {
                case PENDING, IGNORED, OUTDATED -> wasThere && !inserted.contains(f.script());
                case MISSING -> wasThere && !settings.forgetMissing();
                case FUTURE, CANNOT_REPLAY, INVALID_ROW -> wasThere;
                case BASELINE -> wasThere || baselined;
                case OUT_OF_ORDER -> wasThere || inserted.contains(f.script());
                case CHECKSUM_MISMATCH, FAILED -> false;
            };
            if (!expected) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Runs the script's bytes: with {@code psql -X -v ON_ERROR_STOP=1 -f} when psql is installed (its {@code -L} log
     * must show exactly the plan's statements, all of them when {@code complete}, else up to the failing one), else
     * as one JDBC statement.
     */
    private static Run run(ShadowDatabase db, StampPlan plan, Path psql, Path file, boolean complete)
            throws SQLException, IOException {
        if (psql != null) {
            ScriptProof.PsqlRun r = ScriptProof.psql(psql, db.server(), db.name(), file);
            String mismatch = ScriptProof.compareLog(r.log(), plan.statements(), r.exitCode() == 0);
            if (mismatch != null) {
                return new Run(null, "the file is not what was planned: " + mismatch);
            }
            if (r.exitCode() == 0) {
                return new Run(null, null);
            }
            return new Run(r.error() != null ? r.error() : "psql exit " + r.exitCode() + ": "
                    + ScriptProof.excerpt(r.output()), null);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            try {
                s.execute(plan.sql());
                return new Run(null, null);
            } catch (SQLException e) {
                String m = e.getMessage() == null ? "(no message)" : e.getMessage();
                int nl = m.indexOf('\n');
                return new Run((nl >= 0 ? m.substring(0, nl) : m).replaceFirst("^ERROR: ", "").trim(), null);
            }
        }
    }

    /** Creates the version table as Flyway 13 does on PostgreSQL and inserts the rows ({@link FlywayHistoryTable#copy}). */
    static void copy(Connection c, AppliedHistory history) throws SQLException {
        FlywayHistoryTable.copy(c, history);
    }
}
