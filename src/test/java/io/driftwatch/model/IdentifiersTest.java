package io.driftwatch.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentifiersTest {

    @Test
    void quotesOnlyWhatPostgresWouldQuote() {
        assertEquals("orders", Identifiers.quoteIfNeeded("orders"));
        assertEquals("order_items2", Identifiers.quoteIfNeeded("order_items2"));
        assertEquals("\"Orders\"", Identifiers.quoteIfNeeded("Orders"));
        assertEquals("\"user\"", Identifiers.quoteIfNeeded("user"));
        assertEquals("\"order\"", Identifiers.quoteIfNeeded("order"));
        assertEquals("\"2fa\"", Identifiers.quoteIfNeeded("2fa"));
        assertEquals("\"a b\"", Identifiers.quoteIfNeeded("a b"));
        assertEquals("\"é\"", Identifiers.quoteIfNeeded("é"));
        assertEquals("\"x\"\"; DROP TABLE y; --\"", Identifiers.quoteIfNeeded("x\"; DROP TABLE y; --"));
        assertEquals("name", Identifiers.quoteIfNeeded("name"), "unreserved keywords stay bare");
    }

    @Test
    void alwaysQuoteAndLiterals() {
        assertEquals("\"orders\"", Identifiers.quote("orders"));
        assertEquals("public.\"Order Lines\"", Identifiers.qualified("public", "Order Lines"));
        assertEquals("'it''s'", Identifiers.literal("it's"));
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote(""));
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote("a\0b"));
    }
}
