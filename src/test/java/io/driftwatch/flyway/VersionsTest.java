package io.driftwatch.flyway;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionsTest {

    @Test
    void ordersNumericallyPartByPart() {
        List<String> v = new ArrayList<>(List.of("1.10", "2", "1.9", "1", "1.2.1", "10", "1_3"));
        v.sort(Versions.ORDER);
        assertEquals(List.of("1", "1.2.1", "1_3", "1.9", "1.10", "2", "10"), v);
    }

    @Test
    void trailingZerosAreEqualAndNormalised() {
        assertEquals(0, Versions.compare("1.0", "1"));
        assertEquals("1", Versions.normalize("1.0.0"));
        assertEquals("2.1", Versions.normalize("2_1"));
        assertEquals("0", Versions.normalize("0"));
    }

    @Test
    void validity() {
        assertTrue(Versions.isValid("20240101120000"));
        assertFalse(Versions.isValid("abc"));
        assertFalse(Versions.isValid("1..2"));
        assertFalse(Versions.isValid(null));
        assertTrue(Versions.compare("abc", "99") > 0, "invalid versions sort last");
    }
}
