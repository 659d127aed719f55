package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.HistoryChecker;
import io.driftwatch.flyway.FlywayHistoryReport;
import io.driftwatch.flyway.FlywayHistoryReader;
import io.driftwatch.flyway.AppliedHistory;
import io.driftwatch.flyway.AppliedMigration;
import io.driftwatch.flyway.MigrationSet;
import io.driftwatch.flyway.ResolvedMigration;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link StampPlanner}: exact actions and SQL (pure), and hostile text round-tripped through a real table. */
class StampPlannerTest {

    static final String T0 = "2024-05-01T10:15:30.123456";

    static AppliedMigration row(int rank, String version, String description, Integer checksum, boolean success) {
        return new AppliedMigration(rank, version, description, "SQL", "V" + version + "__" + description + ".sql",
                checksum, "deploy", T0, 12, success);
    }

    static ResolvedMigration script(String version, String description, int checksum) {
        return new ResolvedMigration(version, description, "V" + version + "__" + description + ".sql", checksum, false,
                "/m/V" + version + ".sql");
    }

    static StampPlan plan(MigrationSet set, AppliedHistory h, Set<String> present, StampSettings s) throws Exception {
        FlywayHistoryReport report = new HistoryChecker().check(set, h);
        return new StampPlanner().plan(set, h, report, present, s);
    }

    @Test
    void exactScript() throws Exception {
        ResolvedMigration v1 = script("1", "a", 11);
        ResolvedMigration v2 = script("2", "b", 22);
        ResolvedMigration v3 = script("3", "c", 33);
        MigrationSet set = new MigrationSet(List.of("/m"), List.of(v1, v2, v3));
        AppliedHistory h = new AppliedHistory("public", "flyway_schema_history",
                List.of(row(1, "1", "a", 10, true), row(2, "2", "b", 22, true), row(3, "3", "c", 33, false)));
        StampPlan p = plan(set, h, Set.of("V3__c.sql"), new StampSettings("dba", false, null));
        String hash = HistoryHash.of(h);
        assertEquals(List.of(new StampAction.DeleteFailed(h.rows().get(2)),
                new StampAction.RealignChecksum("V1", 1, 10, 11),
                new StampAction.InsertApplied(v3, 3)), p.actions());
        assertEquals(hash, p.guardHash());
        assertEquals(List.of(), p.leftAlone());
        assertEquals("""
                -- driftwatch stamp: makes public.flyway_schema_history agree with the migration scripts.
                -- It changes only that table, never the schema, in one transaction.
                -- Apply with: psql -X -v ON_ERROR_STOP=1 -f <this file>
                -- It aborts without changing anything if the table changed since the audit (hash %1$s).

                BEGIN;
                SET LOCAL lock_timeout = '10s';
                LOCK TABLE "public"."flyway_schema_history" IN EXCLUSIVE MODE;
                DO $dw_guard$
                DECLARE
                    found text;
                BEGIN
                    SELECT %2$s
                      INTO found FROM "public"."flyway_schema_history";
                    IF found IS DISTINCT FROM '%1$s' THEN
                        RAISE EXCEPTION '%% changed since the audit (expected hash %%, found %%); re-run driftwatch stamp',
                            'public.flyway_schema_history', '%1$s', found;
                    END IF;
                END
                $dw_guard$;

                -- delete the failed row of V3 (rank 3, as flyway repair)
                DELETE FROM "public"."flyway_schema_history" WHERE installed_rank = 3 AND NOT success;

                -- realign the checksum of V1 (rank 1) from 10 to 11: script edited after it was applied (as flyway repair)
                UPDATE "public"."flyway_schema_history" SET checksum = 11 WHERE installed_rank = 1;

                -- record V3 c as applied (rank 3, checksum 33): its objects are already in the database
                INSERT INTO "public"."flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                    VALUES (3, '3', 'c', 'SQL', 'V3__c.sql', 33, 'dba', 0, true);

                COMMIT;
                """.formatted(hash, HistoryHash.expression()), p.sql());
    }

    @Test
    void missingRowsAreLeftUnlessForgotten() throws Exception {
        MigrationSet set = new MigrationSet(List.of("/m"), List.of(script("1", "a", 11), script("3", "c", 33)));
        AppliedHistory h = new AppliedHistory("public", "flyway_schema_history",
                List.of(row(1, "1", "a", 11, true), row(2, "2", "b", 22, true), row(3, "3", "c", 33, true)));
        StampPlan kept = plan(set, h, Set.of(), new StampSettings("dba", false, null));
        assertEquals(List.of(), kept.actions());
        assertEquals(List.of("V2 b: applied (rank 2) but V2__b.sql is not among the local scripts; left as is (pass"
                + " --forget-missing to record it as deleted, as flyway repair does)"), kept.leftAlone());
        StampPlan forgot = plan(set, h, Set.of(), new StampSettings("dba", true, null));
        assertEquals(List.of(new StampAction.MarkDeleted(h.rows().get(1), 4)), forgot.actions());
        assertEquals("INSERT INTO \"public\".\"flyway_schema_history\" (installed_rank, version, description, type,"
                + " script, checksum, installed_by, execution_time, success)\n    VALUES (4, '2', 'b', 'DELETE',"
                + " 'V2__b.sql', 22, 'dba', 0, true);\n", forgot.actions().get(0).sql(
                "\"public\".\"flyway_schema_history\"", "dba"));
    }

    @Test
    void baselineNeedsAnEmptyTable() {
        MigrationSet set = new MigrationSet(List.of("/m"), List.of(script("1", "a", 11)));
        AppliedHistory h = new AppliedHistory("public", "flyway_schema_history", List.of(row(1, "1", "a", 11, true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan(set, h, Set.of(), new StampSettings("dba", false, "1")));
        assertEquals("--baseline needs an empty version table, but public.flyway_schema_history has 1 row",
                e.getMessage());
        assertEquals("--baseline 'v1' is not a Flyway version (digits separated by dots, e.g. 5 or 1.2)",
                assertThrows(IllegalArgumentException.class, () -> new StampSettings("dba", false, "v1")).getMessage());
    }

    /** Backslashes, quotes, newlines, dollar quotes in names and rows: the script runs and stores them exactly. */
    @Test
    void hostileTextRoundTripsThroughARealTable() throws Exception {
        String evil = "it's \\ $dw_guard$ ${app_role} \n-- DROP TABLE x; \u2028 end";
        ResolvedMigration v2 = new ResolvedMigration("2", evil, "V2__evil.sql", 7, false, "/m/V2.sql");
        MigrationSet set = new MigrationSet(List.of("/m"), List.of(script("1", "a", 11), v2));
        AppliedMigration odd = new AppliedMigration(2, "1.5", "gone \\ 'x'\n", "SQL", "V1.5__gone.sql", 5, "o'brien",
                T0, 3, true);
        AppliedHistory h = new AppliedHistory("odd \"schema\"", "history$$table",
                List.of(row(1, "1", "a", 11, true), odd));
        StampPlan p = plan(set, h, Set.of("V2__evil.sql"), new StampSettings("dba 'x' \\", true, null));
        assertEquals(2, p.actions().size());
        try (ShadowDatabase db = TestPostgres.newDatabase(); Connection c = db.connect()) {
            StampVerifier.copy(c, h);
            assertEquals(p.guardHash(), HistoryHash.read(c, h.schema(), h.table()));
            try (var s = c.createStatement()) {
                s.execute("SET standard_conforming_strings = off");
                s.execute(p.sql());
            }
            AppliedHistory after = new FlywayHistoryReader().read(c, h.schema(), h.table());
            assertEquals(List.of("1|1|a", "2|1.5|gone \\ 'x'\n", "3|1.5|gone \\ 'x'\n|DELETE|dba 'x' \\",
                            "4|2|" + evil + "|SQL|dba 'x' \\"),
                    after.rows().stream().map(r -> r.installedRank() + "|" + r.version() + "|" + r.description()
                            + (r.installedRank() > 2 ? "|" + r.type() + "|" + r.installedBy() : "")).toList());
            assertEquals(List.of(), new HistoryChecker().check(set, after).findings());
        }
    }
}
