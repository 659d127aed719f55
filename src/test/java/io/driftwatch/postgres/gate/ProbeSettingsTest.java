package io.driftwatch.postgres.gate;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ProbeSettings} are validated up front (moved here from the gate's former DefinitionTextTest). */
class ProbeSettingsTest {

    @Test
    void probeSettingsAreValidatedUpFront() {
        ProbeSettings d = ProbeSettings.defaults();
        assertEquals(new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(2), 5, 10_000), d);
        assertThrows(IllegalArgumentException.class, () -> new ProbeSettings(Duration.ZERO, Duration.ofSeconds(1), 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new ProbeSettings(Duration.ofSeconds(1), Duration.ofNanos(10), 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new ProbeSettings(Duration.ofDays(30), Duration.ofSeconds(1), 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new ProbeSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ProbeSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 5, 0));
        assertThrows(NullPointerException.class, () -> new ProbeSettings(null, Duration.ofSeconds(1), 5, 10));
    }
}
