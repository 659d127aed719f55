package io.driftwatch.rules;

import io.driftwatch.policy.AuditResult;
import io.driftwatch.policy.AuditRun;
import io.driftwatch.policy.Classifier;
import io.driftwatch.policy.Finding;
import io.driftwatch.policy.Rule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The SQL rules of one run: the lint pack (when asked for) and the rule files of the given folders.
 * Loading reads headers only; Calcite is started by {@link #run} alone (through {@link RuleRunner}),
 * so an audit without SQL rules never loads it. Immutable.
 *
 * <p>Ids: every id is unique across the set; a file may not reuse a built-in rule's id or name, and
 * ids starting with {@code DW} are reserved for Driftwatch's own rules (the lint pack is
 * {@code DW330} upward).
 */
public final class SqlRuleSet {

    /** Classpath folder of the lint pack; {@link #LINT_INDEX} lists its files. */
    public static final String LINT_DIR = "rules/lint/";
    /** The lint pack's file list (one file name a line), on the classpath. */
    public static final String LINT_INDEX = LINT_DIR + "index.txt";

    private final List<SqlRule> rules;
    private final List<String> skipped;

    private SqlRuleSet(List<SqlRule> rules, List<String> skipped) {
        this.rules = List.copyOf(rules);
        this.skipped = List.copyOf(skipped);
    }

    /** @return a set with no rules ({@link #run} returns its input unchanged) */
    public static SqlRuleSet empty() {
        return new SqlRuleSet(List.of(), List.of());
    }

    /**
     * @param dirs folders whose {@code *.sql} files (not sub-folders) are rule files, read in name
     *             order; each must exist and hold at least one {@code .sql} file
     * @param lint also load the lint pack ({@code --lint})
     * @return the rules: the lint pack first, then each folder's
     * @throws RuleFileException for a folder that is missing or holds no {@code .sql} file, a file
     *         that cannot be read, a bad header, a clashing id
     */
    public static SqlRuleSet load(List<Path> dirs, boolean lint) {
        List<SqlRule> all = new ArrayList<>();
        if (lint) {
            all.addAll(lintPack());
        }
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new RuleFileException(dir.toString(), 0, "no such folder (--rules takes a folder of .sql rule files)");
            }
            List<Path> files = sqlFiles(dir);
            if (files.isEmpty()) {
                throw new RuleFileException(dir.toString(), 0, "holds no .sql rule files");
            }
            for (Path f : files) {
                all.add(SqlRuleParser.parse(f.toString(), read(f)));
            }
        }
        return checked(all, List.of());
    }

    /**
     * A project's own rules, loaded when no {@code --rules} is given: the {@code *.sql} files of
     * {@code dir} whose header has an {@code -- id:} line. Other {@code .sql} files (not meant as
     * rules) are skipped and listed in {@link #skipped()}; a file with an id header that is otherwise
     * wrong is an error as with {@link #load}.
     *
     * @param dir  the project's {@code rules} folder; a missing folder gives no rules
     * @param lint also load the lint pack
     * @return the rules
     * @throws RuleFileException as {@link #load}
     */
    public static SqlRuleSet loadProject(Path dir, boolean lint) {
        List<SqlRule> all = new ArrayList<>();
        if (lint) {
            all.addAll(lintPack());
        }
        List<String> skipped = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            for (Path f : sqlFiles(dir)) {
                String text = read(f);
                if (SqlRuleParser.looksLikeRule(text)) {
                    all.add(SqlRuleParser.parse(f.toString(), text));
                } else {
                    skipped.add(f.toString());
                }
            }
        }
        return checked(all, skipped);
    }

    /** @return the lint pack's rules, in id order */
    public static List<SqlRule> lintPack() {
        List<SqlRule> out = new ArrayList<>();
        for (String name : resource(LINT_INDEX).split("\\R")) {
            String n = name.strip();
            if (n.isEmpty() || n.startsWith("#")) {
                continue;
            }
            out.add(SqlRuleParser.parse(LINT_DIR + n, resource(LINT_DIR + n)));
        }
        return out;
    }

    private static SqlRuleSet checked(List<SqlRule> all, List<String> skipped) {
        Map<String, SqlRule> byId = new HashMap<>();
        Map<String, SqlRule> bySlug = new HashMap<>();
        for (Rule b : Rule.values()) {
            bySlug.put(b.slug(), null);
        }
        for (SqlRule r : all) {
            String id = r.rule().id();
            boolean lintFile = r.source().startsWith(LINT_DIR);
            if (!lintFile && id.startsWith("DW")) {
                throw new RuleFileException(r.source(), r.idLine(), "rule id " + id + ": ids starting with DW are "
                        + "reserved for Driftwatch's own rules; use your own prefix, e.g. ACME001");
            }
            SqlRule other = byId.putIfAbsent(id, r);
            if (other != null) {
                throw new RuleFileException(r.source(), r.idLine(), "rule id " + id + " is also defined in "
                        + other.source() + ":" + other.idLine());
            }
            String slug = r.rule().slug();
            if (bySlug.containsKey(slug)) {
                SqlRule o = bySlug.get(slug);
                throw new RuleFileException(r.source(), r.idLine(), "rule name " + slug + " is also the name of "
                        + (o == null ? "built-in rule " + Rule.parse(slug).id() : "rule " + o.rule().id() + " in "
                        + o.source()));
            }
            bySlug.put(slug, r);
        }
        return new SqlRuleSet(all, skipped);
    }

    /** @return the rules as {@link Rule}s (for a policy that overrides or waives them by id), in load order */
    public List<Rule> rules() {
        return rules.stream().map(SqlRule::rule).toList();
    }

    /** @return the parsed rule files, in load order */
    public List<SqlRule> sqlRules() {
        return rules;
    }

    /** @return {@code .sql} files of a project's rules folder skipped for having no {@code -- id:} header */
    public List<String> skipped() {
        return skipped;
    }

    /** @return true when there is no rule to run */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * @param result   the result with the SQL rules' findings merged
     * @param added    how many findings the SQL rules added
     * @param millis   wall time in Calcite (start and every query), milliseconds
     */
    public record Outcome(AuditResult result, int added, long millis) {
    }

    /**
     * Runs every rule over the audit's models, history and findings.
     *
     * @param run    the audit (models); may be null for a result without models (only {@code history}
     *               and {@code findings} then have rows)
     * @param result the result so far (its findings are the {@code findings} table)
     * @return the result with the new findings merged in {@link Classifier#ORDER}, and what it cost;
     *         {@code result} itself when the set is empty (Calcite is not loaded)
     * @throws RuleFileException (exit 2) when a query does not parse or validate, fails, or does not
     *         return the columns its header and message need; the message names file, line and column
     */
    public Outcome evaluate(AuditRun run, AuditResult result) {
        if (rules.isEmpty()) {
            return new Outcome(result, 0, 0);
        }
        RuleRunner.Output out = RuleRunner.run(rules, RuleTables.of(run, result));
        List<Finding> all = new ArrayList<>(result.findings());
        all.addAll(out.findings());
        all.sort(Classifier.ORDER);
        AuditResult merged = new AuditResult(result.toolVersion(), result.startedAt(),
                result.durationMillis() + out.millis(), result.target(), result.expected(), all, result.history(),
                result.failOn(), result.notes(), result.rehearsal());
        return new Outcome(merged, out.findings().size(), out.millis());
    }

    /**
     * @param run    the audit
     * @param result the result so far
     * @return {@link #evaluate}'s result
     * @throws RuleFileException as {@link #evaluate}
     */
    public AuditResult run(AuditRun run, AuditResult result) {
        return evaluate(run, result).result();
    }

    private static List<Path> sqlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new RuleFileException(dir.toString(), 0, "cannot list the folder: " + e.getMessage());
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(f.toString(), 0, "cannot read the file: " + e.getMessage());
        }
    }

    private static String resource(String name) {
        try (InputStream in = SqlRuleSet.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("lint pack resource missing from the build: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
