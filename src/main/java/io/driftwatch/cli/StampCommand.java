package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.base.ExitCode;
import io.driftwatch.flyway.HistoryFinding;
import io.driftwatch.model.OneLine;
import io.driftwatch.policy.Severity;
import io.driftwatch.reconcile.SqlComments;
import io.driftwatch.flyway.stamp.StampAction;
import io.driftwatch.flyway.stamp.StampOutcome;
import io.driftwatch.flyway.stamp.StampPlan;
import io.driftwatch.flyway.stamp.StampRefusedException;
import io.driftwatch.flyway.stamp.StampRequest;
import io.driftwatch.flyway.stamp.StampVerification;
import io.driftwatch.flyway.stamp.Stamper;
import io.driftwatch.base.AtomicFileWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch stamp}: writes SQL that makes {@code flyway_schema_history} agree with the scripts for a
 * schema that already matches them (see {@code docs/stamp.md}). Never writes to the target.
 *
 * <p>Exit codes: 0 a verified stamp was written, or there is nothing to stamp (no file then); 1 the stamp was
 * refused (schema drift: run {@code driftwatch bridge}; the table changed during the audit) or verification
 * failed ({@code <out>.UNVERIFIED.sql} written, residual findings listed); 2, 3, 4, 70 as {@code audit}.
 */
@Command(name = "stamp", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Write SQL that makes flyway_schema_history agree with the migration scripts.",
                "",
                "For a schema that already matches the migrations: records scripts applied by hand "
                        + "(their objects are present), realigns checksums of scripts edited after they were "
                        + "applied and deletes failed rows (as flyway repair), optionally marks missing scripts "
                        + "deleted or adds a baseline. One transaction, guarded by a hash of the table as audited. "
                        + "Verified on a copy of the table in the shadow database. The audited database is only read."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  driftwatch stamp --url postgresql://dba@db:5432/shop -m db/migration",
                "  psql -v ON_ERROR_STOP=1 -f stamp.sql postgresql://dba@db:5432/shop",
                "",
                "Exit codes: 0 verified stamp written or nothing to stamp,",
                "  1 refused (schema drift: use driftwatch bridge) or not verified,",
                "  2 usage or configuration error, 3 database unreachable or timed out,",
                "  4 migrations failed to replay, 6 the stamp cannot be written, 70 internal error."})
public final class StampCommand implements Callable<Integer> {

    @Mixin
    AuditInputs inputs;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE", defaultValue = "stamp.sql",
            description = "Where to write the script. Default: ${DEFAULT-VALUE}. When verification fails it is "
                    + "written as <name>.UNVERIFIED.sql instead.")
    Path out;

    @Option(names = "--no-verify",
            description = "Do not verify the script on a copy of the version table (not recommended).")
    boolean noVerify;

    @Option(names = "--forget-missing",
            description = "Record applied migrations whose script is gone as deleted (a DELETE row, as flyway repair).")
    boolean forgetMissing;

    @Option(names = "--baseline", paramLabel = "VERSION",
            description = "Insert Flyway's baseline row at VERSION into an empty version table.")
    String baseline;

    @Option(names = "--installed-by", paramLabel = "NAME",
            description = "installed_by of the rows inserted. Default: the role connecting to the database.")
    String installedBy;

    @Mixin
    OutputMixin output;

    @Override
    public Integer call() throws Exception {
        AuditOptions options = inputs.toOptions(Severity.WARNING);
        PrintStream err = System.err;
        PrintStream stdout = System.out;
        boolean progress = output.progress();
        if (progress) {
            err.println("driftwatch stamp of " + options.target().display());
        }
        Path unverified = unverifiedName(out);
        Files.deleteIfExists(out);
        Files.deleteIfExists(unverified);
        if (noVerify) {
            err.println("warning: --no-verify: the stamp is NOT checked on a copy of the version table; "
                    + "read it before you apply it");
        }
        StampOutcome outcome;
        try {
            outcome = new Stamper().stamp(options, new StampRequest(installedBy, forgetMissing, baseline, !noVerify),
                    CliSupport.listener(err, progress, output.quiet));
        } catch (StampRefusedException e) {
            throw new AuditException(ExitCode.FINDINGS, e.getMessage(), e);
        }
        StampPlan plan = outcome.plan();
        String table = outcome.audit().result().expected().historyTable();
        if (plan.isEmpty()) {
            if (!output.quiet) {
                stdout.println(OneLine.of(table) + ": history already agrees with the scripts; nothing to stamp");
                plan.leftAlone().forEach(l -> stdout.println("  left as is: " + OneLine.of(l)));
            }
            return ExitCode.CLEAN.code();
        }
        StampVerification v = outcome.verification();
        if (v != null && v.mismatch() != null) {
            throw new AuditException(ExitCode.FINDINGS, "the stamp was not written: " + v.mismatch()
                    + " (a Driftwatch defect: please report it)", null);
        }
        boolean verified = v == null || v.verified();
        Path file = verified ? out : unverified;
        String header = v == null ? "-- NOT VERIFIED: written with --no-verify\n"
                : v.verified() ? "" : unverifiedHeader(v);
        AtomicFileWriter.write(file, o -> o.write((header + plan.sql()).getBytes(StandardCharsets.UTF_8)));
        if (!output.quiet) {
            stdout.println("stamp for " + OneLine.of(table) + " (" + plan.actions().size()
                    + (plan.actions().size() == 1 ? " change" : " changes") + ", guard hash " + plan.guardHash() + "):");
            for (StampAction a : plan.actions()) {
                stdout.println("  " + OneLine.of(a.summary()));
            }
            plan.leftAlone().forEach(l -> stdout.println("  left as is: " + OneLine.of(l)));
        }
        if (v == null) {
            err.println("warning: NOT VERIFIED (--no-verify): " + file);
        } else if (!v.verified()) {
            err.println("driftwatch: the stamp did not verify; written as " + file + ", do not apply it as is");
            for (HistoryFinding f : v.unexpected()) {
                err.println("  still: " + f.kind().name() + " " + OneLine.of(f.ref().qualifiedName()) + ": "
                        + OneLine.of(f.message()));
            }
            for (String p : v.problems()) {
                err.println("  problem: " + OneLine.of(p));
            }
            return ExitCode.FINDINGS.code();
        } else if (!output.quiet) {
            stdout.println("verified on a copy of " + OneLine.of(table) + ": history check afterwards: "
                    + (v.residual().isEmpty() ? "0 findings" : v.residual().size() + " left as is")
                    + "; a second run is refused by the guard");
        }
        if (!output.quiet) {
            stdout.println("wrote " + OneLine.of(file.toString()));
            stdout.println("apply with: psql -X -v ON_ERROR_STOP=1 -f " + OneLine.of(file.toString()) + " <database>");
        }
        return ExitCode.CLEAN.code();
    }

    private static String unverifiedHeader(StampVerification v) {
        StringBuilder sb = new StringBuilder("-- UNVERIFIED: applied to a copy of the version table, this stamp did not"
                + " leave it agreeing with the scripts.\n");
        for (HistoryFinding f : v.unexpected()) {
            sb.append("--   still: ").append(oneLine(f.kind().name() + " " + f.ref().qualifiedName() + ": "
                    + f.message())).append('\n');
        }
        for (String p : v.problems()) {
            sb.append("--   problem: ").append(oneLine(p)).append('\n');
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return SqlComments.text(s);
    }

    /** @return {@code stamp.UNVERIFIED.sql} for {@code stamp.sql}; {@code x.UNVERIFIED.sql} for {@code x} */
    static Path unverifiedName(Path out) {
        String name = out.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".sql") ? name.substring(0, name.length() - 4)
                : name;
        return out.resolveSibling(base + ".UNVERIFIED.sql");
    }
}
