package io.driftwatch.cli;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.rules.SqlRuleSet;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --rules DIR} and {@code --lint}: SQL rules run over the audit's models, history and
 * findings ({@code audit}, {@code gate}). Without {@code --rules}, the project's own {@code rules/}
 * folder (in the working directory) is used when it holds {@code .sql} files with an
 * {@code -- id:} header; {@code --no-project-rules} turns that off. Calcite starts only when some
 * rule is to run. See {@code docs/sql-rules.md}.
 */
public final class RulesMixin {

    /** The project folder read when no {@code --rules} is given. */
    static final Path PROJECT_RULES = Path.of("rules");

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Folder of SQL rule files (*.sql with a -- id: header; repeatable). Each row a rule's query "
                    + "returns is a finding. Without it, ./rules/*.sql files with such a header are used. "
                    + "See docs/sql-rules.md.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--lint",
            description = "Also run the lint pack (DW330-DW337: table without primary key, foreign key without index, "
                    + "redundant index, timestamp without time zone, varchar(n), char(n), serial, nullable column in a "
                    + "unique key) over the schema the migrations create.")
    boolean lint;

    @Option(names = "--no-project-rules",
            description = "Do not pick up ./rules/*.sql when --rules is not given.")
    boolean noProjectRules;

    private SqlRuleSet loaded;

    /**
     * Reads the rule files' headers (no Calcite), so a bad file fails before the audit starts.
     *
     * @param err   where the note about {@code ./rules} goes
     * @param quiet print nothing but errors
     * @throws io.driftwatch.rules.RuleFileException (exit 2) for a bad rule file, naming file and line
     */
    void load(PrintStream err, boolean quiet) {
        if (loaded != null) {
            return;
        }
        if (!dirs.isEmpty()) {
            loaded = SqlRuleSet.load(dirs, lint);
        } else if (!noProjectRules) {
            loaded = SqlRuleSet.loadProject(PROJECT_RULES, lint);
            int own = loaded.sqlRules().size() - (lint ? SqlRuleSet.lintPack().size() : 0);
            if (own > 0 && !quiet) {
                err.println("sql rules: using " + own + " rule file" + (own == 1 ? "" : "s") + " from ./rules "
                        + "(--rules DIR to choose, --no-project-rules to skip)");
                if (!loaded.skipped().isEmpty()) {
                    err.println("sql rules: skipped " + loaded.skipped().size()
                            + " .sql file(s) in ./rules without a -- id: header");
                }
            }
        } else {
            loaded = SqlRuleSet.load(List.of(), lint);
        }
    }

    /**
     * @return ids and names of the loaded SQL and lint rules, which {@code driftwatch.yaml}'s
     *         severity overrides and waivers may name (empty before {@link #load})
     */
    java.util.Set<String> ruleNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        if (loaded != null) {
            for (io.driftwatch.policy.Rule r : loaded.rules()) {
                names.add(r.id());
                names.add(r.slug());
            }
        }
        return names;
    }

    /**
     * Runs the SQL rules (none: returns {@code result} untouched and loads no Calcite class).
     *
     * @param run      the audit behind the result
     * @param result   the result so far
     * @param err      where the progress line and notes go
     * @param progress print {@code sql rules: N rules, M findings (Calcite x.x s)}
     * @param quiet    print nothing but errors
     * @return the result with the rules' findings merged
     * @throws io.driftwatch.rules.RuleFileException (exit 2) for a bad rule file or query (files are
     *         loaded here unless {@link #load} ran before)
     */
    AuditResult apply(AuditRun run, AuditResult result, PrintStream err, boolean progress, boolean quiet) {
        load(err, quiet);
        SqlRuleSet set = loaded;
        if (set.isEmpty()) {
            return result;
        }
        SqlRuleSet.Outcome o = set.evaluate(run, result);
        if (progress) {
            err.printf(Locale.ROOT, "sql rules: %d rules, %d findings (Calcite %.1f s)%n", set.sqlRules().size(),
                    o.added(), o.millis() / 1000.0);
        }
        return o.result();
    }
}
