package io.driftwatch.postgres.gate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NodeTree} on node trees as PostgreSQL 15 stores them. */
class NodeTreeTest {

    @Test
    void readsNodesFieldsListsAndConstBytes() {
        NodeTree.Node n = NodeTree.parse("{NULLTEST :arg {FUNCEXPR :funcid 2880 :funcresulttype 2278 :args ("
                + "{FUNCEXPR :funcid 481 :args ({CONST :consttype 23 :constlen 4 :constbyval true :constisnull false"
                + " :location 84 :constvalue 4 [ 50 121 6 0 0 0 0 0 ]}) :location -1}) :location 67}"
                + " :nulltesttype 1 :argisrow false :location 92}");
        assertEquals("NULLTEST", n.name());
        NodeTree.Node f = n.node("arg").orElseThrow();
        assertEquals(Optional.of(2880L), f.oid("funcid"));
        NodeTree.Node inner = f.children().get(0);
        assertEquals(Optional.of(481L), inner.oid("funcid"));
        NodeTree.Node c = inner.children().get(0);
        assertEquals("CONST", c.name());
        assertEquals(List.of("4", "[", "50", "121", "6", "0", "0", "0", "0", "0", "]"), c.fields().get("constvalue"));
        assertEquals(Optional.of("false"), c.token("constisnull"));
        assertEquals(Optional.of(67L), f.oid("location"));
        assertEquals(Optional.empty(), inner.oid("location")); // -1 is not an OID
    }

    @Test
    void readsOidListsNullsAndEscapes() {
        NodeTree.Node n = NodeTree.parse("{ROWCOMPAREEXPR :rctype 1 :opnos (o 97 97) :opfamilies (o 1976 1976)"
                + " :largs <> :rargs ({ALIAS :aliasname a\\ b\\{c :colnames (\"x\" \"y\")})}");
        assertEquals(List.of(97L, 97L), n.oids("opnos"));
        assertEquals(Optional.of("<>"), n.token("largs"));
        NodeTree.Node alias = n.children().get(0);
        assertEquals(Optional.of("a b{c"), alias.token("aliasname"));
        assertEquals(1, n.children().size());
    }

    @Test
    void malformedTreesAreRefused() {
        for (String bad : List.of("", "{OPEXPR :opno 1", "{OPEXPR :args ({VAR :varno 1)}", "42", "{OPEXPR} {VAR}",
                "{}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeTree.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }
}
