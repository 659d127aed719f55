package io.driftwatch.flyway;

import io.driftwatch.model.ObjectRef;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static io.driftwatch.flyway.MigrationScannerTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scanner, Replayer, reader and checker together: a fresh replay is clean, an edit is a checksum mismatch. */
class HistoryRoundTripTest {

    @Test
    void replayedHistoryMatchesTheScriptsUntilOneIsEdited(@TempDir Path dir) throws Exception {
        write(dir.resolve("V1__init.sql"), MigrationScannerTest.withBom("CREATE TABLE ${t} (id int);\r\n"));
        write(dir.resolve("sub/V2__more.sql"), "CREATE TABLE more (id int);\n");
        write(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT id FROM ${t};\n");
        Map<String, String> placeholders = Map.of("t", "things");
        MigrationScanner scanner = new MigrationScanner();
        MigrationSet set = scanner.scan(List.of(dir), placeholders);

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            new Replayer().replay(db, set.migrations(), new ReplaySettings(List.of("app"), null, null, placeholders));
            FlywayHistoryReport clean;
            try (Connection c = db.connect()) {
                clean = new HistoryChecker().check(set, new FlywayHistoryReader().read(c, "app", null));
            }
            assertEquals(List.of(), clean.findings());
            assertEquals(set.migrations(), clean.toReplay());
            assertEquals(List.of("success", "success", "success", "success"),
                    clean.statuses().stream().map(s -> s.state()).toList());

            write(dir.resolve("sub/V2__more.sql"), "CREATE TABLE more (id bigint);\n");
            MigrationSet edited = scanner.scan(List.of(dir), placeholders);
            FlywayHistoryReport report;
            try (Connection c = db.connect()) {
                report = new HistoryChecker().check(edited, new FlywayHistoryReader().read(c, "app", null));
            }
            int before = set.migrations().get(1).checksum();
            int after = edited.migrations().get(1).checksum();
            assertEquals(List.of(new HistoryFinding(HistoryFinding.Kind.CHECKSUM_MISMATCH, ObjectRef.migration("V2"),
                    "sub/V2__more.sql", String.valueOf(after), String.valueOf(before),
                    "V2 more: script edited after it was applied (checksum " + before + " in history, " + after
                            + " on disk)")), report.findings());
        }
    }
}
