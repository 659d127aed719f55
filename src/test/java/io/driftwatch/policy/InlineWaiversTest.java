package io.driftwatch.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code driftwatch:ignore} grammar, case by case: comment text → rules | reason | until | problem. */
class InlineWaiversTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            driftwatch:ignore DW101 added by DBA for reporting            | DW101        | added by DBA for reporting | -          | -
            Reporting. DRIFTWATCH:IGNORE dw101: owned by BI               | dw101        | owned by BI                | -          | -
            driftwatch:ignore DW101, DW107 until 2027-01-31 hotfix INC-42 | DW101,DW107  | hotfix INC-42              | 2027-01-31 | -
            driftwatch:ignore extra-index kept for reports until 2027-01-31 | extra-index | kept for reports          | 2027-01-31 | -
            driftwatch:ignore DW101 — until noon                          | DW101        | —                          | -          | 'until noon' is not a date (YYYY-MM-DD)
            driftwatch:ignore DW101                                       | DW101        | ""                         | -          | gives no reason: write driftwatch:ignore DW101 <why this drift is accepted>
            driftwatch:ignore all of it please                            | all          | of it please               | -          | names unknown rule all
            driftwatch:ignore DW101, reason                               | DW101,reason | ""                         | -          | names unknown rule reason
            driftwatch:ignoreDW101 x                                      | ""           | ""                         | -          | names no rule: write driftwatch:ignore DW101 <reason>
            """)
    void parses(String comment, String rules, String reason, String until, String problem) {
        List<InlineWaivers.Clause> cs = InlineWaivers.parse(comment, id -> Policy.knownRule(id, Set.of()));
        assertEquals(1, cs.size());
        InlineWaivers.Clause c = cs.get(0);
        assertEquals(rules.isEmpty() ? List.of() : List.of(rules.split(",")), c.rules());
        if (problem.equals("-")) {
            assertEquals(reason, c.reason());
        }
        assertEquals(until.equals("-") ? null : java.time.LocalDate.parse(until), c.until());
        assertEquals(problem.equals("-") ? null : problem, c.problem());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Orders. driftwatch:ignore DW107 hotfix         | Orders.
            "Line one\\ndriftwatch:ignore DW101 x\\nLine three" | "Line one\\nLine three"
            driftwatch:ignore DW101 x                      | ""
            no marker at all                               | no marker at all
            """)
    void stripsClauses(String comment, String stripped) {
        assertEquals(stripped.replace("\\n", "\n"), InlineWaivers.strip(comment.replace("\\n", "\n")));
    }
}
