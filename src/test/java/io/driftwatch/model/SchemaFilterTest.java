package io.driftwatch.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaFilterTest {

    @Test
    void starStaysWithinOnePartDoubleStarCrossesDots() {
        SchemaFilter f = new SchemaFilter(List.of(), List.of("public.tmp_*", "audit.**", "sales.?x"), null, null);
        assertTrue(f.isExcluded("public.tmp_orders"));
        assertFalse(f.isExcluded("public.tmp_orders.id"), "* does not cross a dot");
        assertTrue(f.isExcluded("audit.log"));
        assertTrue(f.isExcluded("audit.log.id"));
        assertTrue(f.isExcluded("sales.ax"));
        assertFalse(f.isExcluded("sales.abx"));
        assertFalse(f.isExcluded("public.orders"));
    }

    @Test
    void namesWithSlashesAndRegexCharactersAreLiteral() {
        SchemaFilter f = new SchemaFilter(List.of(), List.of("public.a/b", "public.x+y"), null, null);
        assertTrue(f.isExcluded("public.a/b"));
        assertTrue(f.isExcluded("public.x+y"));
        assertFalse(f.isExcluded("public.xxy"));
    }

    @Test
    void historyTableMatchesInItsSchemaOnly() {
        SchemaFilter f = new SchemaFilter(List.of(), List.of(), "public", "flyway_schema_history");
        assertTrue(f.isHistoryTable("public", "flyway_schema_history"));
        assertFalse(f.isHistoryTable("billing", "flyway_schema_history"));
    }
}
