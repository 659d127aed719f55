package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.base.AuditListener;
import io.driftwatch.base.ExitCode;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.reconcile.BridgeWriter;
import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.Version;
import io.driftwatch.base.AtomicFileWriter;
import io.driftwatch.report.DiffPage;
import io.driftwatch.report.HtmlReporter;
import io.driftwatch.snapshot.SchemaChanges;
import io.driftwatch.source.Source;
import io.driftwatch.source.SourceLoader;
import io.driftwatch.source.SourceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch diff --from SOURCE --to SOURCE}: prints the changes that move {@code from} to
 * {@code to} (text or JSON, see {@link SchemaChanges}). Exit 0 when the schemas are equal, 1 when
 * they differ (the convention of migra and Prisma's {@code migrate diff --exit-code}), 2/3/4 on
 * errors as documented in {@link ExitCode}. {@code --bridge FILE} also writes the
 * {@link Planner}'s SQL moving {@code from} to {@code to}, verified in a shadow database.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Compare two schemas and print the changes that turn --from into --to.",
                "",
                "Each side is a database URL (read only), migrations:DIR[@VERSION] (replayed into a shadow "
                        + "database) or snapshot:FILE.json. Lines: '+' only in --to, '-' only in --from, "
                        + "'~' on both sides but different."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  # staging against production",
                "  driftwatch diff --from postgresql://ro@prod-db/shop \\",
                "                  --to postgresql://ro@staging-db/shop",
                "",
                "  # what V17 and V18 add",
                "  driftwatch diff --from migrations:db/migration@16 \\",
                "                  --to migrations:db/migration",
                "",
                "  # this week against last week's snapshot, as JSON",
                "  driftwatch diff --from snapshots/last-week.json \\",
                "                  --to postgresql://ro@prod-db/shop --format json",
                "",
                "  # SQL that brings staging to production's schema",
                "  driftwatch diff --from postgresql://ro@staging-db/shop \\",
                "                  --to prod.json --bridge staging-to-prod.sql",
                "",
                "Exit codes: 0 equal, 1 different, 2 usage or configuration error,",
                "  3 database unreachable or timed out, 4 migrations failed to replay, 6 --out cannot be written."})
public final class DiffCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "SOURCE",
            description = "The starting schema: database URL, migrations:DIR[@VERSION] or snapshot:FILE.json.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "SOURCE",
            description = "The target schema, same forms as --from.")
    String to;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per change), json, or html (a self-contained page, best with --out). "
                    + "Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE",
            description = "Write the changes here (atomically) instead of standard output.")
    Path out;

    @Option(names = "--bridge", paramLabel = "FILE",
            description = "Also write SQL that moves --from to --to (idempotent, dependency-ordered), verified in a "
                    + "shadow database first (FILE.UNVERIFIED.sql when that fails).")
    Path bridge;

    @Option(names = "--allow-destructive",
            description = "In the bridge, write statements that drop data live instead of commented out.")
    boolean allowDestructive;

    @Option(names = "--no-concurrently",
            description = "In the bridge, build and drop indexes without CONCURRENTLY (the file can then run in one transaction).")
    boolean noConcurrently;

    @Mixin
    InspectCommand.SourceFlags flags;

    @Option(names = "--no-verify",
            description = "With --bridge: skip proving the bridge in a shadow database (says so loudly).")
    boolean noVerify;

    @Mixin
    ShadowMixin shadow;

    @Mixin
    OutputMixin output;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        String fmt = format.trim().toLowerCase(Locale.ROOT);
        if (!fmt.equals("text") && !fmt.equals("json") && !fmt.equals("html")) {
            throw new AuditException(ExitCode.USAGE, "--format '" + format + "' is not one of text, json, html", null);
        }
        SourceOptions options = flags.options(shadow, env);
        Source fromSource = flags.parse(from, "--from", env);
        Source toSource = flags.parse(to, "--to", env);
        AuditListener listener = CliSupport.listener(System.err, output.progress(), output.quiet);

        SchemaModel fromModel;
        SchemaModel toModel;
        List<Change> changes;
        try (SourceLoader loader = new SourceLoader(options, listener)) {
            // databases and snapshots first: their server version picks the shadow's major
            if (toSource instanceof Source.Migrations && !(fromSource instanceof Source.Migrations)) {
                fromModel = loader.load(fromSource);
                toModel = loader.load(toSource);
            } else if (fromSource instanceof Source.Migrations && !(toSource instanceof Source.Migrations)) {
                toModel = loader.load(toSource);
                fromModel = loader.load(fromSource);
            } else {
                fromModel = loader.load(fromSource);
                toModel = loader.load(toSource);
            }
            checkSchemasExist(options.schemas(), fromModel, toModel);
            warnOnMajorMismatch(fromModel, toModel, listener);
            changes = new SchemaDiffer().diff(fromModel, toModel);
            if (bridge != null) {
                writeBridge(fromModel, toModel, fromSource.display(), toSource.display(), loader, options, listener);
            }
        }
        String rendered = switch (fmt) {
            case "json" -> SchemaChanges.json(changes, fromSource.display(), fromModel, toSource.display(), toModel);
            case "html" -> new HtmlReporter().renderDiff(new DiffPage(Version.get(), java.time.Instant.now(),
                    fromSource.display(), fromModel.serverVersion(), toSource.display(), toModel.serverVersion(),
                    SchemaChanges.describe(changes).stream().map(d -> new DiffPage.Row(d.action(),
                            d.ref().kind().label(), d.ref().qualifiedName(), d.detail(), d.from(), d.to())).toList()));
            default -> SchemaChanges.text(changes);
        };
        if (out != null) {
            byte[] bytes = rendered.getBytes(StandardCharsets.UTF_8);
            AtomicFileWriter.write(out, o -> o.write(bytes));
        } else {
            System.out.print(rendered);
            System.out.flush();
        }
        if (!output.quiet) {
            System.err.println(summary(changes));
        }
        return changes.isEmpty() ? ExitCode.CLEAN.code() : ExitCode.FINDINGS.code();
    }

    /**
     * Writes {@code --bridge}: the {@link Planner}'s statements moving {@code from} to {@code to},
     * verified in the loader's shadow (clone {@code from}, apply twice, re-diff to {@code to}) unless
     * {@code --no-verify}, through {@link BridgeOutput} like {@code driftwatch bridge}.
     */
    private void writeBridge(SchemaModel fromModel, SchemaModel toModel, String fromText, String toText,
                             SourceLoader loader, SourceOptions options, AuditListener listener)
            throws AuditException, java.io.IOException {
        Plan plan = options.dialect().plan(fromModel, toModel, new PlanOptions(!noConcurrently, allowDestructive));
        if (plan.isEmpty()) {
            if (!output.quiet) {
                System.err.println("bridge: nothing to do, no file written");
            }
            return;
        }
        BridgeOutput.Written w = BridgeOutput.verifyAndWrite(plan, fromModel, toModel, options.filter(),
                noVerify ? null : loader.shadow(), "Moves " + fromText + " to " + toText, bridge, true,
                flags.placeholders(), listener);
        if (!output.quiet) {
            BridgeOutput.print(System.err, w, plan, noVerify ? io.driftwatch.reconcile.BridgeWriter.Verification.SKIPPED
                    : io.driftwatch.reconcile.BridgeWriter.Verification.VERIFIED);
        }
    }

    /** @return e.g. {@code 3 changes: 1 added, 1 removed, 1 modified} or {@code no differences} */
    static String summary(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no differences";
        }
        long added = 0;
        long dropped = 0;
        for (SchemaChanges.Described d : SchemaChanges.describe(changes)) {
            if (d.action().equals("add")) {
                added++;
            } else if (d.action().equals("drop")) {
                dropped++;
            }
        }
        long modified = changes.size() - added - dropped;
        return changes.size() + (changes.size() == 1 ? " change: " : " changes: ") + added + " added, "
                + dropped + " removed, " + modified + " modified";
    }

    private static void checkSchemasExist(List<String> requested, SchemaModel a, SchemaModel b) throws AuditException {
        Set<String> known = new LinkedHashSet<>(a.schemas());
        known.addAll(b.schemas());
        for (String s : requested) {
            if (!known.contains(s)) {
                throw new AuditException(ExitCode.USAGE, "schema \"" + s
                        + "\" exists in neither --from nor --to (check --schemas)", null);
            }
        }
    }

    private static void warnOnMajorMismatch(SchemaModel a, SchemaModel b, AuditListener listener) {
        String ma = major(a.serverVersion());
        String mb = major(b.serverVersion());
        if (ma != null && mb != null && !Objects.equals(ma, mb)) {
            listener.note("warning: --from was read from PostgreSQL " + ma + " and --to from PostgreSQL " + mb
                    + "; deparsed text (defaults, views, indexes) can differ between major versions");
        }
    }

    private static String major(String version) {
        if (version == null) {
            return null;
        }
        String v = version.strip();
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? null : v.substring(0, end);
    }
}
