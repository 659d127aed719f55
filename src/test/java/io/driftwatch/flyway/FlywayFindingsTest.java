package io.driftwatch.flyway;

import io.driftwatch.model.ObjectRef;
import io.driftwatch.policy.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlywayFindingsTest {

    @Test
    void everyHistoryKindHasARule() {
        List<HistoryFinding> in = new ArrayList<>();
        for (HistoryFinding.Kind k : HistoryFinding.Kind.values()) {
            in.add(new HistoryFinding(k, ObjectRef.migration("V1"), "V1__x.sql", null, null, k.name()));
        }
        List<Finding> f = FlywayFindings.of(in);
        assertEquals(List.of("DW201", "DW202", "DW203", "DW205", "DW206", "DW204", "DW207", "DW208", "DW209",
                "DW210", "DW211"), f.stream().map(x -> x.rule().id()).toList());
        assertEquals("CHECKSUM_MISMATCH", f.get(0).message());
    }
}
