package io.driftwatch.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DefinitionText} over the server's deparsed text, hostile names included: the gate's readings
 * (checks, keywords, index keys, foreign-key targets) and the SQL-rules tables' (key lists, name parts,
 * references).
 */
class DefinitionTextTest {

    @Test
    void checkExpressionIgnoresParenthesesAndKeywordsInLiterals() {
        assertEquals(Optional.of("(price > 0)"), DefinitionText.checkExpression("CHECK ((price > 0))"));
        assertEquals(Optional.of("((note <> ')'::text) AND (\"a)b\" < 5))"),
                DefinitionText.checkExpression("CHECK (((note <> ')'::text) AND (\"a)b\" < 5))) NO INHERIT NOT VALID"));
        assertEquals(Optional.empty(), DefinitionText.checkExpression("UNIQUE (a)"));
        assertEquals(Optional.empty(), DefinitionText.checkExpression("CHECK ((a > 0)"));
    }

    @Test
    void notValidAndKeywordsOnlyCountOutsideQuotes() {
        assertTrue(DefinitionText.notValid("CHECK ((a > 0)) NOT VALID"));
        assertFalse(DefinitionText.notValid("CHECK ((a <> ' NOT VALID'::text))"));
        assertFalse(DefinitionText.notValid("FOREIGN KEY (a) REFERENCES public.\"x NOT VALID\"(id)"));
        assertTrue(DefinitionText.hasKeyword("UNIQUE NULLS NOT DISTINCT (a)", "NULLS NOT DISTINCT"));
        assertFalse(DefinitionText.hasKeyword("UNIQUE (\"NULLS NOT DISTINCT\")", "NULLS NOT DISTINCT"));
        assertTrue(DefinitionText.hasKeyword("FOREIGN KEY (a, b) REFERENCES p(a, b) MATCH FULL", "MATCH FULL"));
        assertFalse(DefinitionText.hasKeyword("FOREIGN KEY (a) REFERENCES \"MATCH FULL\"(a)", "MATCH FULL"));
    }

    @Test
    void foreignKeyTargetReadsQuotedNames() {
        var t = DefinitionText.foreignKeyTarget(
                "FOREIGN KEY (\"a)b\", c) REFERENCES \"Sales Ω\".\"REFERENCES (x\"(\"k,ey\", \"q\"\"\") MATCH FULL ON DELETE CASCADE")
                .orElseThrow();
        assertEquals(new DefinitionText.QualifiedName("Sales Ω", "REFERENCES (x"), t.table());
        assertEquals(List.of("k,ey", "q\""), t.columns());
        assertEquals(Optional.of(new DefinitionText.QualifiedName("public", "Order \"Lines\"")),
                DefinitionText.qualifiedName("public.\"Order \"\"Lines\"\"\""));
        assertEquals(Optional.empty(), DefinitionText.qualifiedName("public.orders extra"));
    }

    @Test
    void indexKeysMapColumnsExpressionsAndCollations() {
        var keys = DefinitionText.indexKeys("CREATE UNIQUE INDEX \"i (x\" ON public.\"t (\" USING btree "
                + "(\"Ünï code\" text_pattern_ops DESC NULLS LAST, lower(email), ((a + b)), name COLLATE \"C\")"
                + " INCLUDE (z) WHERE (active)").orElseThrow();
        assertEquals(4, keys.size());
        assertEquals(new DefinitionText.IndexKey("\"Ünï code\"", "Ünï code"), keys.get(0));
        assertEquals(new DefinitionText.IndexKey("lower(email)", null), keys.get(1));
        assertEquals(new DefinitionText.IndexKey("((a + b))", null), keys.get(2));
        assertEquals(new DefinitionText.IndexKey("(\"name\" COLLATE \"C\")", null), keys.get(3));
        assertTrue(DefinitionText.hasKeyword(DefinitionText.afterIndexKeys(
                "CREATE UNIQUE INDEX i ON public.t USING btree (a) NULLS NOT DISTINCT"), "NULLS NOT DISTINCT"));
        assertEquals(Optional.empty(), DefinitionText.indexKeys("CREATE UNIQUE INDEX i ON public.t USING btree (a + b)"));
    }

    @Test
    void indexKeyListsSplitOnlyAtTopLevelCommas() {
        DefinitionText.KeyList k = DefinitionText.keyList("CREATE UNIQUE INDEX \"a, (b\" ON public.\"USING (x)\" USING btree "
                + "(\"Key, \"\"1\"\"\" DESC, lower((email)::text), code text_pattern_ops, (a + b)) "
                + "INCLUDE (note, \"N, 2\") WHERE (code <> 'x, (y'::text)");
        assertEquals(List.of("\"Key, \"\"1\"\"\" DESC", "lower((email)::text)", "code text_pattern_ops", "(a + b)"),
                k.keys());
        assertEquals(List.of("note", "N, 2"), k.include());
        assertEquals("Key, \"1\"", DefinitionText.columnOf(k.keys().get(0)));
        assertNull(DefinitionText.columnOf(k.keys().get(1)));
        assertEquals("code", DefinitionText.columnOf(k.keys().get(2)));
        assertNull(DefinitionText.columnOf(k.keys().get(3)));
    }

    @Test
    void constraintDefinitions() {
        assertEquals(List.of("a", "\"B\""), DefinitionText.keyList("UNIQUE NULLS NOT DISTINCT (a, \"B\") INCLUDE (c)").keys());
        assertEquals(List.of("room WITH =", "during WITH &&"),
                DefinitionText.keyList("EXCLUDE USING gist (room WITH =, during WITH &&)").keys());
        DefinitionText.References r = DefinitionText.references("FOREIGN KEY (\"Parent (Id)\") REFERENCES public.\"Weird Parent\""
                + "(\"Key, \"\"1\"\"\") ON DELETE CASCADE NOT VALID");
        assertEquals(List.of("public", "Weird Parent"), r.table());
        assertEquals(List.of("Key, \"1\""), r.columns());
        assertEquals(List.of("My Schema", "t.x"), DefinitionText.nameParts("\"My Schema\".\"t.x\""));
        assertEquals(List.of("public", "t", "c"), DefinitionText.nameParts("public.t.c"));
        assertEquals(List.of(), DefinitionText.nameParts("public.(t)"));
    }

    @Test
    void bothKeyReadingsAgreeOnHostileIndexText() {
        String def = "CREATE UNIQUE INDEX \"a, (b\" ON public.\"USING (x)\" USING btree "
                + "(\"Key, \"\"1\"\"\" DESC, lower((email)::text), code text_pattern_ops, (a + b)) "
                + "INCLUDE (note, \"N, 2\") WHERE (code <> 'x, (y'::text)";
        List<DefinitionText.IndexKey> probeKeys = DefinitionText.indexKeys(def).orElseThrow();
        List<String> ruleKeys = DefinitionText.keyList(def).keys();
        assertEquals(4, probeKeys.size());
        assertEquals(ruleKeys.size(), probeKeys.size());
        for (int i = 0; i < ruleKeys.size(); i++) {
            assertEquals(DefinitionText.columnOf(ruleKeys.get(i)), probeKeys.get(i).column(), ruleKeys.get(i));
        }
        assertTrue(DefinitionText.afterIndexKeys(def).trim().startsWith("INCLUDE (note"));
    }
}
