package io.driftwatch.reconcile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SqlComments} and the statement checks of {@link ScriptProof}, without a database. */
class SqlCommentsTest {

    static final String TERMINATORS = "\n\r\r\n\u000b\u000c\u0085\u2028\u2029";

    @Test
    void commentTextHasNoTerminatorNoBlockCommentAndNoPlaceholder() {
        String text = SqlComments.text("p" + TERMINATORS + "DROP TABLE x; */ /* ${x} \\ \u202e\u2066 ok");
        assertEquals("p\\u000a\\u000d\\u000d\\u000a\\u000b\\u000c\\u0085\\u2028\\u2029DROP TABLE x; *\\/ /\\* $\\{x} \\ "
                + "\\u202e\\u2066 ok", text);
        for (char c : text.toCharArray()) {
            assertFalse(io.driftwatch.model.OneLine.terminator(c), "terminator left: " + (int) c);
        }
        assertEquals("-- [1] a\\u000ab\n", SqlComments.line("-- [1] ", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SqlComments.line("x ", "a"));
        assertThrows(IllegalArgumentException.class, () -> SqlComments.line("--\n", "a"));
    }

    @Test
    void commentingOutSplitsOnEveryTerminatorAndCrLfOnce() {
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"),
                SqlComments.lines("a\nb\rc\r\nd\u000be\u000cf\u0085g\u2028h\u2029i"));
        assertEquals(List.of("a", ""), SqlComments.lines("a\n"));
        String out = SqlComments.commentOut("DROP TABLE \"p\rDROP TABLE public.invoices;--\";");
        assertEquals("-- DROP TABLE \"p\n-- DROP TABLE public.invoices;--\";\n", out);
        for (String line : out.split("\n")) {
            assertTrue(line.startsWith("-- ") && line.indexOf('\r') < 0, line);
        }
    }

    @Test
    void executedStatementsMustBeThePlansWithOnlyTheirLeadingCommentsBeforeThem() {
        List<ScriptProof.Expected> plan = List.of(new ScriptProof.Expected("-- h\n\n-- [1] a\n", "SELECT 1;"),
                new ScriptProof.Expected("\n-- [2] b\n", "SELECT 2;"));
        assertNull(ScriptProof.compare(List.of("SELECT 1;", "SELECT 2;"), plan, "Flyway", true));
        assertNull(ScriptProof.compare(List.of("-- [1] a\nSELECT 1;", "\n-- [2] b\nSELECT 2;"), plan, "Flyway", true));
        assertNull(ScriptProof.compare(List.of("-- h\n\n-- [1] a\nSELECT 1;"), plan, "Flyway", false));
        assertEquals("Flyway executed 1 statements, the plan has 2; missing: 'SELECT 2;'",
                ScriptProof.compare(List.of("SELECT 1;"), plan, "Flyway", true));
        assertEquals("Flyway executed statement 1 as '] a\\u000aSELECT 1;', not as planned: 'SELECT 1;'",
                ScriptProof.compare(List.of("] a\nSELECT 1;", "SELECT 2;"), plan, "Flyway", true),
                "a lead cut inside a comment line is SQL, not a comment");
        assertEquals("Flyway executed statement 2 as 'SELECT 1;', not as planned: 'SELECT 2;'",
                ScriptProof.compare(List.of("SELECT 1;", "SELECT 1;"), plan, "Flyway", true));
        assertEquals("Flyway executed 3 statements, the plan has 2; the extra one begins 'DROP TABLE invoices;'",
                ScriptProof.compare(List.of("SELECT 1;", "SELECT 2;", "DROP TABLE invoices;"), plan, "Flyway", true));
    }

    @Test
    void psqlLogMustShowThePlansStatementsEachWithACommandTag() {
        List<ScriptProof.Expected> plan = List.of(new ScriptProof.Expected("-- [1] a\n", "DO $$ $$;"),
                new ScriptProof.Expected("\n-- [2] b\n", "ALTER TABLE t ADD c int;"));
        String head = ScriptProof.LOG_HEAD;
        String tail = ScriptProof.LOG_TAIL;
        String ok = head + "DO $$ $$;" + tail + "DO\n" + head + "ALTER TABLE t ADD c int;" + tail + "ALTER TABLE\n";
        assertNull(ScriptProof.compareLog(ok, plan, true));
        assertNull(ScriptProof.compareLog(head + "DO $$ $$;" + tail, plan, false), "failed on the first");
        assertEquals("psql executed 1 statements, the plan has 2; missing: 'ALTER TABLE t ADD c int;'",
                ScriptProof.compareLog(head + "DO $$ $$;" + tail + "DO\n", plan, true));
        String injected = head + "DO $$ $$;" + tail + "DO\n" + head + "DROP TABLE invoices;" + tail + "DROP TABLE\n"
                + head + "ALTER TABLE t ADD c int;" + tail + "ALTER TABLE\n";
        assertEquals("psql executed statement 2 as 'DROP TABLE invoices;\\u000a**************************\\u000a\\u000aDROP "
                        + "TABLE\\u000a********* QUERY **********\\u000aALTER...', not as planned: "
                        + "'ALTER TABLE t ADD c int;'", ScriptProof.compareLog(injected, plan, true));
        assertEquals("psql's log shows unexpected output after statement 1: ' id '",
                ScriptProof.compareLog(head + "DO $$ $$;" + tail + " id \n----\n", plan, true));
    }
}
