package io.driftwatch.cli;

import io.driftwatch.base.AuditException;
import io.driftwatch.audit.AuditOptions;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.audit.Auditor;
import io.driftwatch.base.ExitCode;
import io.driftwatch.demo.DriftScenario;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.postgres.PostgresDialect;
import io.driftwatch.flyway.FlywayConfigFile;
import io.driftwatch.flyway.FlywaySettings;
import io.driftwatch.policy.Severity;
import io.driftwatch.report.ConsoleReporter;
import io.driftwatch.report.HtmlReporter;
import io.driftwatch.report.JsonReporter;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.postgres.shadow.ShadowProviders;
import io.driftwatch.dialect.ShadowUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code driftwatch demo}: the whole audit on real input with nothing to set up. Starts a throwaway
 * PostgreSQL, migrates the sample shop project with Flyway, applies a drift scenario the way a DBA
 * would by hand, audits it, and writes the reports.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Run a complete audit on a throwaway PostgreSQL: migrate the sample shop project, drift it by hand, audit it.",
                "",
                "Uses installed PostgreSQL binaries when present, else embedded binaries from Maven Central. "
                        + "Nothing outside the throwaway server is touched."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  driftwatch demo",
                "  driftwatch demo --scenario missing-script --out /tmp/dw",
                "  driftwatch demo --list"})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--project", paramLabel = "DIR",
            description = "Fixture project with migrations/ and drift/. Default: fixtures/shop of this installation.")
    Path project;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "demo-mixed",
            description = "Drift scenario folder under drift/. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--list", description = "List the drift scenarios and exit.")
    boolean list;

    @Option(names = "--shadow", paramLabel = "KIND", defaultValue = "auto",
            description = "Where the throwaway server comes from: auto, local, embedded, docker. Default: ${DEFAULT-VALUE}.")
    String shadowKind;

    @Option(names = {"--out", "-o"}, paramLabel = "DIR", defaultValue = "driftwatch-demo",
            description = "Folder for the reports. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    OutputMixin output;

    @Override
    public Integer call() throws Exception {
        Path projectDir = project != null ? project : defaultProject();
        if (!Files.isDirectory(projectDir.resolve("migrations"))) {
            throw new AuditException(ExitCode.USAGE, "no fixture project at " + projectDir
                    + " (expected migrations/ and drift/ there; pass --project DIR)", null);
        }
        if (list) {
            for (DriftScenario s : DriftScenario.all(projectDir)) {
                System.out.printf("%-28s %s%n", s.name(), s.description());
            }
            return 0;
        }
        Path scenarioDir = projectDir.resolve("drift").resolve(scenario);
        if (!Files.isDirectory(scenarioDir)) {
            throw new AuditException(ExitCode.USAGE, "no drift scenario '" + scenario + "' in " + projectDir.resolve("drift")
                    + " (see driftwatch demo --list)", null);
        }
        DriftScenario drift = DriftScenario.load(scenarioDir);
        FlywaySettings flyway = Files.exists(projectDir.resolve("flyway.toml"))
                ? new FlywayConfigFile().read(projectDir.resolve("flyway.toml")) : null;
        Map<String, String> placeholders = flyway != null ? flyway.placeholders() : Map.of();
        Path migrations = projectDir.resolve("migrations");

        boolean progress = output.progress();
        var listener = CliSupport.listener(System.err, progress, output.quiet);
        ShadowKind kind = ShadowKind.parse(shadowKind);
        if (kind == ShadowKind.URL) {
            throw new AuditException(ExitCode.USAGE, "demo starts its own server; --shadow url is not supported here", null);
        }
        Path work = Files.createTempDirectory("driftwatch-demo");
        listener.step("starting a throwaway PostgreSQL");
        long t = System.nanoTime();
        try (ShadowServer server = openServer(kind, listener::note)) {
            listener.stepDone("starting a throwaway PostgreSQL", (System.nanoTime() - t) / 1_000_000);
            try (ShadowDatabase prod = server.createDatabase("dw_demo_shop")) {
                listener.step("migrating " + migrations + " and applying drift '" + drift.name() + "'");
                t = System.nanoTime();
                Path auditMigrations = drift.apply(prod, migrations, placeholders, work);
                listener.stepDone("migrating and applying drift", (System.nanoTime() - t) / 1_000_000);
                if (!output.quiet) {
                    System.err.println("drift applied by hand: " + drift.description());
                }

                ConnectionSpec target = ConnectionSpec.parse(server.jdbcUrl(prod.name()), server.user(),
                        server.password(), Map.of());
                ConnectionSpec shadowUrl = target.withDatabase("postgres");
                AuditOptions options = new AuditOptions(PostgresDialect.INSTANCE, target,
                        new FlywayTool(List.of(auditMigrations), placeholders, List.of(), null, null), List.of(),
                        List.of(), new ShadowOptions(ShadowKind.URL, shadowUrl, null, null), Severity.WARNING,
                        Duration.ofSeconds(5), Duration.ofSeconds(120));
                AuditResult result = new Auditor().run(options, listener);
                Files.createDirectories(out);
                Path json = out.resolve("report.json");
                Path html = out.resolve("report.html");
                new JsonReporter().write(result, json);
                new HtmlReporter().write(result, html);
                if (!output.quiet) {
                    new ConsoleReporter().print(result, System.out, CliSupport.colorAllowed(output.noColor));
                    System.out.println("report: " + json.toAbsolutePath());
                    System.out.println("report: " + html.toAbsolutePath());
                    System.out.println("next: open the HTML report, or run `driftwatch demo --list` for other scenarios");
                }
            }
        } finally {
            deleteTree(work);
        }
        return ExitCode.CLEAN.code();
    }

    private static ShadowServer openServer(ShadowKind kind, java.util.function.Consumer<String> log) throws AuditException {
        try {
            return ShadowProviders.open(new ShadowOptions(kind, null, null, null), log);
        } catch (ShadowUnavailableException e) {
            throw new AuditException(ExitCode.UNREACHABLE, "cannot start a throwaway PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Path defaultProject() {
        String home = System.getProperty("driftwatch.home");
        Path base = home != null ? Path.of(home) : Path.of("");
        return base.resolve("fixtures").resolve("shop");
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp folder; nothing to lose
        }
    }
}
