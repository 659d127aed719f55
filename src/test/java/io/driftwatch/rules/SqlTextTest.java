package io.driftwatch.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading key lists and names out of the server's deparsed text, hostile names included. */
class SqlTextTest {

    @Test
    void indexKeyListsSplitOnlyAtTopLevelCommas() {
        SqlText.KeyList k = SqlText.keyList("CREATE UNIQUE INDEX \"a, (b\" ON public.\"USING (x)\" USING btree "
                + "(\"Key, \"\"1\"\"\" DESC, lower((email)::text), code text_pattern_ops, (a + b)) "
                + "INCLUDE (note, \"N, 2\") WHERE (code <> 'x, (y'::text)");
        assertEquals(List.of("\"Key, \"\"1\"\"\" DESC", "lower((email)::text)", "code text_pattern_ops", "(a + b)"),
                k.keys());
        assertEquals(List.of("note", "N, 2"), k.include());
        assertEquals("Key, \"1\"", SqlText.columnOf(k.keys().get(0)));
        assertNull(SqlText.columnOf(k.keys().get(1)));
        assertEquals("code", SqlText.columnOf(k.keys().get(2)));
        assertNull(SqlText.columnOf(k.keys().get(3)));
    }

    @Test
    void constraintDefinitions() {
        assertEquals(List.of("a", "\"B\""), SqlText.keyList("UNIQUE NULLS NOT DISTINCT (a, \"B\") INCLUDE (c)").keys());
        assertEquals(List.of("room WITH =", "during WITH &&"),
                SqlText.keyList("EXCLUDE USING gist (room WITH =, during WITH &&)").keys());
        SqlText.References r = SqlText.references("FOREIGN KEY (\"Parent (Id)\") REFERENCES public.\"Weird Parent\""
                + "(\"Key, \"\"1\"\"\") ON DELETE CASCADE NOT VALID");
        assertEquals(List.of("public", "Weird Parent"), r.table());
        assertEquals(List.of("Key, \"1\""), r.columns());
        assertEquals(List.of("My Schema", "t.x"), SqlText.qualifiedName("\"My Schema\".\"t.x\""));
        assertEquals(List.of("public", "t", "c"), SqlText.qualifiedName("public.t.c"));
        assertEquals(List.of(), SqlText.qualifiedName("public.(t)"));
    }
}
