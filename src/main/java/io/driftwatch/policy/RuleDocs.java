package io.driftwatch.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders {@code docs/rules.md}, the rule reference, from the rules' own texts (for built-in rules
 * those of {@code rules/catalog.yaml}, see {@link RuleCatalog}). {@code RuleCatalogDocTest} fails when
 * the committed file differs from {@link #markdown}'s output for the built-in rules and the lint pack.
 *
 * <p>Layout: an introduction (id ranges, severities, overrides and waivers), a summary table of every
 * rule, then one section per group ({@code DW1xx} schema drift, {@code DW2xx} version table,
 * {@code DW30x} rehearsal, {@code DW31x} hazards, {@code DW32x} data probes, the lint pack,
 * {@code DW4xx} policy) with one {@code ### <id> <slug>} section per rule: default severity, title,
 * description, fix and reference link. Heading anchors follow GitHub's rule (lower case, spaces to
 * hyphens), so {@link #anchor} is {@code dw101-extra-index}. Pure and deterministic; thread-safe.
 */
public final class RuleDocs {

    /** Path of the generated reference inside the project. */
    public static final String PATH = "docs/rules.md";

    /** Column at which paragraphs are wrapped. */
    private static final int WIDTH = 100;

    private RuleDocs() {
    }

    /**
     * @param rule any rule
     * @return its section's anchor in {@code docs/rules.md}, e.g. {@code dw101-extra-index}
     *         (GitHub's heading anchor of {@code ### DW101 extra-index})
     */
    public static String anchor(Rule rule) {
        return (rule.id() + "-" + rule.slug()).toLowerCase(Locale.ROOT);
    }

    /**
     * Renders the reference.
     *
     * @param builtIns the built-in rules, normally {@link Rule#values()}; grouped by their id range
     * @param lintPack the lint pack's rules (off by default, {@code --lint}), listed in a group of their
     *                 own in the given order; may be empty (the group is then left out)
     * @return the Markdown text, lines ending in {@code \n}
     * @throws IllegalArgumentException when an id or slug appears twice across both lists
     * @throws ExceptionInInitializerError when the built-in catalog is missing or broken
     */
    public static String markdown(List<Rule> builtIns, List<Rule> lintPack) {
        Objects.requireNonNull(builtIns, "builtIns");
        Objects.requireNonNull(lintPack, "lintPack");
        List<Rule> all = new ArrayList<>(builtIns);
        all.addAll(lintPack);
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Set<String> slugs = new java.util.HashSet<>();
        for (Rule r : all) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("rule id " + r.id() + " is listed twice");
            }
            if (!slugs.add(r.slug())) {
                throw new IllegalArgumentException("rule name " + r.slug() + " is used by two rules");
            }
        }

        Map<String, List<Rule>> groups = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            groups.put(g.heading, new ArrayList<>());
        }
        for (Rule r : builtIns) {
            groups.get(Group.of(r).heading).add(r);
        }
        groups.get(Group.LINT.heading).addAll(lintPack);

        StringBuilder md = new StringBuilder();
        intro(md);
        md.append("## Summary\n\n")
                .append("| id | name | default severity | what it detects |\n")
                .append("|---|---|---|---|\n");
        for (List<Rule> rules : groups.values()) {
            for (Rule r : rules) {
                md.append("| [").append(r.id()).append("](#").append(anchor(r)).append(") | `").append(r.slug())
                        .append("` | ").append(r.defaultSeverity().label()).append(" | ").append(cell(r.title()))
                        .append(" |\n");
            }
        }
        for (Group g : Group.values()) {
            List<Rule> rules = groups.get(g.heading);
            if (rules.isEmpty()) {
                continue;
            }
            md.append("\n## ").append(g.heading).append("\n\n");
            paragraph(md, g.blurb);
            md.setLength(md.length() - 1);
            for (Rule r : rules) {
                section(md, r);
            }
        }
        return md.toString();
    }

    private static void intro(StringBuilder md) {
        md.append("# Rules\n\n")
                .append("<!-- Generated from rules/catalog.yaml by io.driftwatch.policy.RuleDocs. Do not edit by hand:\n")
                .append("     edit the catalog, then run\n")
                .append("     ./mvnw test -Dtest=RuleCatalogDocTest -Ddriftwatch.regenerateDocs=true -->\n\n");
        paragraph(md, "Every finding Driftwatch reports carries a rule: a stable id (`DW116`), a name"
                + " (`missing-constraint`), a default severity, a title, a description and a fix hint. A rule id never"
                + " changes meaning once released; a retired rule's id is not reused. Reports name the rule of each"
                + " finding, and the SARIF report links each rule to its section here.");
        md.append("| ids | what they report |\n")
                .append("|---|---|\n")
                .append("| `DW1xx` | schema drift: the live database differs from what the applied migrations create |\n")
                .append("| `DW2xx` | the version table (`flyway_schema_history`) disagrees with the migration scripts, in Flyway's terms |\n")
                .append("| `DW30x` | `driftwatch gate`: the rehearsal of the pending migrations in a shadow clone of production |\n")
                .append("| `DW31x` | `driftwatch gate`: hazards of the pending migrations at production's real table sizes |\n")
                .append("| `DW32x` | `driftwatch gate`: read-only data probes against production's rows |\n")
                .append("| `DW33x` and up | the lint pack: checks of the migration scripts themselves (off by default, `--lint`) |\n")
                .append("| `DW4xx` | the policy itself: waivers that expired, match nothing or are malformed |\n\n");
        paragraph(md, "**Severities.** `error`, `warning` or `info`. A run fails (exit 1) when a finding that is not"
                + " waived is at least as severe as `--fail-on` (default `warning` for `audit`, `error` for `gate`).");
        paragraph(md, "**Changing a severity or waiving a finding.** A project can change a rule's default severity in"
                + " its `driftwatch.yaml`, and waive single findings there with a reason and an expiry date. A waived"
                + " finding stays in every report, marked waived with its reason, but never fails a run; when the"
                + " waiver expires the finding counts again (`DW401`). Prefer fixing the drift (the fix hints below)"
                + " to waiving it; waive what is deliberate, such as an extension a DBA installs on every server.");
    }

    private static void section(StringBuilder md, Rule r) {
        md.append("\n### ").append(r.id()).append(' ').append(r.slug()).append("\n\n");
        paragraph(md, "Default severity: **" + r.defaultSeverity().label() + "**. "
                + (r.title().endsWith(".") ? r.title() : r.title() + "."));
        if (!r.description().isBlank()) {
            paragraph(md, r.description().strip());
        }
        if (!r.fix().isBlank()) {
            paragraph(md, "**Fix:** " + r.fix().strip());
        }
        if (!r.see().isBlank()) {
            paragraph(md, "See: <" + r.see().strip() + ">");
        }
        // one blank line between sections, not two
        md.setLength(md.length() - 1);
    }

    /**
     * Appends {@code text} as one Markdown paragraph wrapped at {@value #WIDTH} columns, then a blank
     * line. Words are never split; a word that Markdown would read as the start of a heading, list or
     * quote stays on the previous line, so wrapping never changes what the paragraph renders as.
     */
    private static void paragraph(StringBuilder md, String text) {
        String[] words = text.strip().split("\\s+");
        int lineLength = 0;
        for (String w : words) {
            if (lineLength > 0 && lineLength + 1 + w.length() > WIDTH && !startsBlock(w)) {
                md.append('\n');
                lineLength = 0;
            } else if (lineLength > 0) {
                md.append(' ');
                lineLength++;
            }
            md.append(w);
            lineLength += w.length();
        }
        md.append("\n\n");
    }

    private static boolean startsBlock(String word) {
        return word.matches("[#>*+=|-].*|\\d+[.)].*");
    }

    /** Escapes a value for a Markdown table cell: {@code |} and line breaks would end the cell. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** The reference's groups, in order. */
    private enum Group {
        DRIFT("Schema drift (DW1xx)", "Found by `driftwatch audit` (and `gate`): the live catalog compared with the schema the applied\n"
                + "migrations create when replayed into a shadow database. Most are fixed with a bridge migration\n"
                + "(`driftwatch bridge`) or by writing the change into a new migration."),
        HISTORY("Version table (DW2xx)", "Found by `driftwatch audit` (and `gate`): `flyway_schema_history` compared with the local scripts,\n"
                + "using Flyway's own states. When the schema is right but the table is wrong, `driftwatch stamp` writes\n"
                + "the SQL that corrects the table."),
        REHEARSAL("Rehearsal (DW30x)", "Found by `driftwatch gate` while it runs the pending migrations with Flyway in a shadow clone of\n"
                + "production."),
        HAZARDS("Hazards at production's sizes (DW31x)", "Found by `driftwatch gate`: what each pending migration would lock or rewrite, sized with\n"
                + "production's row counts and table sizes. A warning on a large table (`--large-table-rows`, default\n"
                + "100,000 rows, or 100 MiB), info on a small one, nothing on an empty one."),
        PROBES("Data probes (DW32x)", "Found by `driftwatch gate`: bounded, read-only queries against production's rows for what the\n"
                + "structure-only rehearsal cannot see (`--no-data-probes` skips them). A finding on a table that a\n"
                + "pending migration also updates (a backfill) is lowered to a warning."),
        LINT("Lint pack (DW33x and up)", "Checks of the migration scripts themselves. Off by default; `--lint` turns them on."),
        POLICY("Policy and waivers (DW4xx)", "About the project's own waivers, so they cannot silently outlive the drift they excuse."),
        OTHER("Other rules", "Rules outside the ranges above.");

        final String heading;
        final String blurb;

        Group(String heading, String blurb) {
            this.heading = heading;
            this.blurb = blurb;
        }

        static Group of(Rule r) {
            String id = r.id();
            if (!id.matches("DW\\d{3}")) {
                return OTHER;
            }
            int n = Integer.parseInt(id.substring(2));
            if (n >= 100 && n < 200) {
                return DRIFT;
            }
            if (n >= 200 && n < 300) {
                return HISTORY;
            }
            if (n >= 300 && n < 310) {
                return REHEARSAL;
            }
            if (n >= 310 && n < 320) {
                return HAZARDS;
            }
            if (n >= 320 && n < 330) {
                return PROBES;
            }
            if (n >= 330 && n < 400) {
                return LINT;
            }
            if (n >= 400 && n < 500) {
                return POLICY;
            }
            return OTHER;
        }
    }
}
