package io.driftwatch.flyway.stamp;

import io.driftwatch.base.AuditListener;
import io.driftwatch.policy.AuditResult;
import io.driftwatch.audit.Auditor;
import io.driftwatch.flyway.MigrationScanner;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.driftwatch.flyway.stamp.StampHarness.SHOP_MIGRATIONS;
import static io.driftwatch.flyway.stamp.StampHarness.execute;
import static io.driftwatch.flyway.stamp.StampHarness.options;
import static io.driftwatch.flyway.stamp.StampHarness.scenario;
import static io.driftwatch.flyway.stamp.StampHarness.shopPlaceholders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stamp end to end on real PostgreSQL: shop scenarios, verification on a copy, the script applied to the
 * real target and a re-audit that finds nothing.
 */
class StamperTest {

    static final StampRequest DEFAULT = new StampRequest("deploy", false, null, true);

    static StampOutcome stamp(ShadowDatabase db, Path migrations, StampRequest request) throws Exception {
        return new Stamper().stamp(options(db, migrations, shopPlaceholders()), request, AuditListener.QUIET);
    }

    static List<String> reaudit(ShadowDatabase db, Path migrations) throws Exception {
        AuditResult r = new Auditor().run(options(db, migrations, shopPlaceholders()), AuditListener.QUIET);
        return r.findings().stream().map(f -> f.rule().id() + " " + f.object().qualifiedName()).toList();
    }

    static ResolvedMigration script(Path migrations, String version) throws Exception {
        MigrationSet set = new MigrationScanner().scan(List.of(migrations), shopPlaceholders());
        return set.versioned().stream().filter(m -> m.version().equals(version)).findFirst().orElseThrow();
    }

    static List<String> rows(ShadowDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join("|", cols));
            }
        }
        return out;
    }

    @Test
    void editedAfterApplyRealignsTheChecksum(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "edited-after-apply", work);
            int local = script(migrations, "3").checksum();
            int applied = script(SHOP_MIGRATIONS, "3").checksum();
            StampOutcome o = stamp(db, migrations, DEFAULT);
            assertEquals(List.of(new StampAction.RealignChecksum("V3", 3, applied, local)), o.plan().actions());
            assertTrue(o.plan().sql().contains("UPDATE \"public\".\"flyway_schema_history\" SET checksum = " + local
                    + " WHERE installed_rank = 3;\n"), o.plan().sql());
            assertTrue(o.verification().verified(), o.verification().toString());
            assertEquals(List.of(), o.verification().residual());
            assertTrue(o.verification().secondRunRefused());

            execute(db, o.plan().sql());
            assertEquals(List.of(), reaudit(db, migrations));
        }
    }

    @Test
    void failedRowIsDeleted(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "failed-history-row", work);
            StampOutcome o = stamp(db, migrations, DEFAULT);
            assertEquals(1, o.plan().actions().size());
            StampAction.DeleteFailed d = (StampAction.DeleteFailed) o.plan().actions().get(0);
            assertEquals(20, d.row().installedRank());
            assertEquals("19", d.row().version());
            assertTrue(o.plan().sql().contains("DELETE FROM \"public\".\"flyway_schema_history\""
                    + " WHERE installed_rank = 20 AND NOT success;\n"), o.plan().sql());
            assertTrue(o.verification().verified(), o.verification().toString());

            execute(db, o.plan().sql());
            assertEquals(List.of(), reaudit(db, migrations));
            assertEquals(List.of("19"), rows(db, "SELECT max(installed_rank) FROM flyway_schema_history"));
        }
    }

    @Test
    void scriptsAppliedByHandAreRecordedLikeFlywayRecordsThem(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase(); ShadowDatabase reference = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "pending-migrations", work);
            // the DBA ran V17 and V18 with psql, without Flyway
            for (String f : List.of("V17__customer_order_stats.sql", "V18__customers_marketing_opt_in.sql")) {
                execute(db, Files.readString(SHOP_MIGRATIONS.resolve(f), StandardCharsets.UTF_8));
            }
            StampOutcome o = stamp(db, migrations, DEFAULT);
            ResolvedMigration v17 = script(migrations, "17");
            ResolvedMigration v18 = script(migrations, "18");
            assertEquals(List.of(new StampAction.InsertApplied(v17, 18), new StampAction.InsertApplied(v18, 19)),
                    o.plan().actions());
            assertEquals(List.of("V17__customer_order_stats.sql", "V18__customers_marketing_opt_in.sql"), o.present());
            assertTrue(o.verification().verified(), o.verification().toString());

            execute(db, o.plan().sql());
            assertEquals(List.of(), reaudit(db, migrations));
            // the same columns Flyway itself writes for V17/V18 (installed_on and execution_time aside)
            scenario(reference, "clean", work);
            String q = "SELECT version, description, type, script, checksum, success FROM flyway_schema_history"
                    + " WHERE version IN ('17', '18') ORDER BY installed_rank";
            assertEquals(rows(reference, q), rows(db, q));
            assertEquals(List.of("18|deploy|0", "19|deploy|0"), rows(db, "SELECT installed_rank, installed_by,"
                    + " execution_time FROM flyway_schema_history WHERE version IN ('17', '18') ORDER BY 1"));
        }
    }

    @Test
    void onlyWhatIsPresentIsRecorded(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "pending-migrations", work);
            execute(db, Files.readString(SHOP_MIGRATIONS.resolve("V17__customer_order_stats.sql"), StandardCharsets.UTF_8));
            StampOutcome o = stamp(db, migrations, DEFAULT);
            assertEquals(List.of(new StampAction.InsertApplied(script(migrations, "17"), 18)), o.plan().actions());
            assertEquals(List.of("V18 (V18__customers_marketing_opt_in.sql): not applied, and the database does not"
                    + " show that it ran (its objects are absent, or it changes none); left pending for the next"
                    + " flyway migrate"), o.plan().leftAlone());
            assertTrue(o.verification().verified(), o.verification().toString());
            assertEquals(List.of("PENDING V18"), o.verification().residual().stream()
                    .map(f -> f.kind() + " " + f.ref().qualifiedName()).toList());
            execute(db, o.plan().sql());
            assertEquals(List.of("DW203 V18"), reaudit(db, migrations));
        }
    }

    @Test
    void nothingToStampWhenOnlyPendingScriptsAreAbsent(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "pending-migrations", work);
            StampOutcome o = stamp(db, migrations, DEFAULT);
            assertTrue(o.plan().isEmpty());
            assertEquals("", o.plan().sql());
            assertNull(o.verification());
            assertEquals(2, o.plan().leftAlone().size());
        }
    }

    @Test
    void schemaDriftIsRefusedAndNamesTheBridge(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "hand-added-index", work);
            StampRefusedException e = assertThrows(StampRefusedException.class, () -> stamp(db, migrations, DEFAULT));
            assertEquals("schema does not match the migrations (1 difference, e.g. DW101"
                    + " public.orders.orders_status_placed_at_idx); a stamp cannot fix schema drift:"
                    + " run driftwatch bridge", e.getMessage());
        }
    }

    @Test
    void guardAbortsWhenTheHistoryChangedAfterTheAudit(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "edited-after-apply", work);
            StampOutcome o = stamp(db, migrations, DEFAULT);
            // someone runs flyway repair (or anything else) between the audit and the stamp
            execute(db, "UPDATE flyway_schema_history SET installed_by = 'someone else' WHERE installed_rank = 1");
            String found;
            try (Connection c = db.connect()) {
                found = HistoryHash.read(c, "public", "flyway_schema_history");
            }
            SQLException e = assertThrows(SQLException.class, () -> execute(db, o.plan().sql()));
            assertEquals("ERROR: public.flyway_schema_history changed since the audit (expected hash "
                    + o.plan().guardHash() + ", found " + found + "); re-run driftwatch stamp",
                    e.getMessage().lines().findFirst().orElseThrow());
            // nothing changed: the checksum is still the old one
            assertEquals(List.of(String.valueOf(script(SHOP_MIGRATIONS, "3").checksum())),
                    rows(db, "SELECT checksum FROM flyway_schema_history WHERE version = '3'"));
        }
    }

    @Test
    void serverAndJavaHashAgree(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            scenario(db, "failed-history-row", work);
            execute(db, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, installed_on, execution_time, success) VALUES (21, NULL,"
                    + " E'it''s \\\\ a \"trap\" ${x}', 'SQL', 'R__x.sql', -5, 'o''brien', '2024-03-31 02:30:00', 7, true)");
            try (Connection c = db.connect()) {
                var history = new io.driftwatch.flyway.FlywayHistoryReader().read(c, "public", "flyway_schema_history");
                assertEquals(HistoryHash.read(c, "public", "flyway_schema_history"), HistoryHash.of(history));
            }
        }
    }

    @Test
    void baselineOnAnEmptyHistory(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "clean", work);
            execute(db, "DELETE FROM flyway_schema_history");
            StampOutcome o = stamp(db, migrations, new StampRequest("dba", false, "16", true));
            MigrationSet set = new MigrationScanner().scan(List.of(migrations), shopPlaceholders());
            ResolvedMigration views = set.repeatables().get(0);
            assertEquals(List.of(new StampAction.Baseline("16", 1),
                    new StampAction.InsertApplied(script(migrations, "17"), 2),
                    new StampAction.InsertApplied(script(migrations, "18"), 3),
                    new StampAction.InsertApplied(views, 4)), o.plan().actions());
            assertTrue(o.verification().verified(), o.verification().toString());
            execute(db, o.plan().sql());
            assertEquals(List.of("1|16|<< Flyway Baseline >>|BASELINE|<< Flyway Baseline >>|null|dba|0|true"),
                    rows(db, "SELECT installed_rank, version, description, type, script, checksum, installed_by,"
                            + " execution_time, success FROM flyway_schema_history WHERE type = 'BASELINE'"));
            assertEquals(List.of("DW209 V16"), reaudit(db, migrations));
        }
    }

    @Test
    void baselineAboveWhatIsPresentIsRefused(@TempDir Path work) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Path migrations = scenario(db, "pending-migrations", work);
            execute(db, "DELETE FROM flyway_schema_history");
            StampRefusedException e = assertThrows(StampRefusedException.class,
                    () -> stamp(db, migrations, new StampRequest("dba", false, "17", true)));
            assertEquals("cannot baseline at version 17: the objects of V17 customer order stats are not in the"
                    + " database; that needs a bridge: run driftwatch bridge", e.getMessage());
        }
    }

    @Test
    void hostileScriptNamesAreQuoted(@TempDir Path work) throws Exception {
        Path sql = work.resolve("sql");
        Files.createDirectories(sql);
        Files.writeString(sql.resolve("V1__t.sql"), "CREATE TABLE t (id int);\n");
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            new io.driftwatch.flyway.Replayer().replay(db,
                    new MigrationScanner().scan(List.of(sql), Map.of()).migrations(),
                    new io.driftwatch.flyway.ReplaySettings(List.of(), null, "flyway_schema_history", Map.of()));
            // (Flyway cannot replay file names with a backslash; StampPlannerTest covers backslashes)
            String hostile = "V2__it's_${app_role}_$dw_guard$_\"q\"_');_DROP_TABLE_t;_--.sql";
            Files.writeString(sql.resolve(hostile), "CREATE TABLE u (id int);\n");
            execute(db, "CREATE TABLE u (id int)");
            StampOutcome o = new Stamper().stamp(options(db, sql, Map.of()), DEFAULT, AuditListener.QUIET);
            assertEquals(1, o.plan().actions().size());
            assertTrue(o.verification().verified(), o.verification().toString());
            execute(db, o.plan().sql());
            assertEquals(List.of("2|it's ${app role} $dw guard$ \"q\" '); DROP TABLE t; --|" + hostile),
                    rows(db, "SELECT version, description, script FROM flyway_schema_history WHERE version = '2'"));
            assertEquals(List.of(), new Auditor().run(options(db, sql, Map.of()), AuditListener.QUIET).findings());
        }
    }
}
