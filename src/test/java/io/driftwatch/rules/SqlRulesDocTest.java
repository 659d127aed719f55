package io.driftwatch.rules;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docs/sql-rules.md} stays true: it documents every table and column of
 * {@link RuleTables#schema()} and every lint rule, and each example rule in it parses and runs
 * (Calcite validates its SQL, its object columns and its message placeholders).
 */
class SqlRulesDocTest {

    static final Path DOC = Path.of(System.getProperty("driftwatch.projectDir", ".")).resolve("docs/sql-rules.md");

    @Test
    void everyTableColumnAndLintRuleIsDocumented() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        for (RowSet t : RuleTables.schema()) {
            int at = doc.indexOf("### `" + t.name() + "`");
            assertTrue(at >= 0, "no section for table " + t.name());
            int end = doc.indexOf("\n#", at + 5);
            String section = doc.substring(at, end < 0 ? doc.length() : end);
            for (RowSet.Col c : t.columns()) {
                assertTrue(section.contains("| `" + c.name() + "` | " + c.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " | " + c.description().replace("|", "\\|") + " |"), t.name() + "." + c.name() + " undocumented or stale");
            }
        }
        for (SqlRule r : SqlRuleSet.lintPack()) {
            assertTrue(doc.contains("| " + r.rule().id() + " | `" + r.rule().slug() + "` | "
                    + r.rule().defaultSeverity().label() + " | " + r.rule().title() + " |"), r.rule().id());
        }
    }

    @Test
    void exampleRulesInTheDocParseAndRun() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?s)```sql\n(-- id: .*?)```").matcher(doc);
        List<SqlRule> rules = new ArrayList<>();
        while (m.find()) {
            rules.add(SqlRuleParser.parse("docs/sql-rules.md example " + (rules.size() + 1), m.group(1)));
        }
        assertEquals(4, rules.size());
        RuleRunner.Output out = RuleRunner.run(rules, RuleTables.of(null, null));
        assertEquals(List.of(), out.findings());
    }
}
