package io.driftwatch.flyway;

import io.driftwatch.flyway.HistoryFinding.Kind;
import io.driftwatch.model.ObjectRef;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistoryCheckerTest {

    private final HistoryChecker checker = new HistoryChecker();

    private static ResolvedMigration v(String version, String description, int checksum) {
        String script = "V" + version.replace('.', '_') + "__" + description.replace(' ', '_') + ".sql";
        return new ResolvedMigration(version, description, script, checksum, false, "/m/" + script);
    }

    private static ResolvedMigration r(String description, int checksum) {
        String script = "R__" + description.replace(' ', '_') + ".sql";
        return new ResolvedMigration(null, description, script, checksum, true, "/m/" + script);
    }

    private static AppliedMigration row(int rank, String version, String description, String type, Integer checksum,
                                        boolean success) {
        String script = version == null ? "R__" + description.replace(' ', '_') + ".sql"
                : "V" + version.replace('.', '_') + "__" + description.replace(' ', '_') + ".sql";
        return new AppliedMigration(rank, version, description, type, script, checksum, "admin",
                "2024-01-0" + Math.min(rank, 9) + "T10:00:00", 5, success);
    }

    private static AppliedMigration ok(int rank, ResolvedMigration m) {
        return new AppliedMigration(rank, m.version(), m.description(), "SQL", m.script(), m.checksum(), "admin",
                "2024-01-0" + Math.min(rank, 9) + "T10:00:00", 5, true);
    }

    private static MigrationSet set(ResolvedMigration... ms) {
        return new MigrationSet(List.of("/m"), Arrays.asList(ms));
    }

    private static AppliedHistory history(AppliedMigration... rows) {
        return new AppliedHistory("public", "flyway_schema_history", Arrays.asList(rows));
    }

    private static HistoryFinding f(Kind kind, String ref, String script, String expected, String actual,
                                    String message) {
        return new HistoryFinding(kind, ObjectRef.migration(ref), script, expected, actual, message);
    }

    private static List<String> states(FlywayHistoryReport report) {
        return report.statuses().stream()
                .map(s -> (s.version() == null ? "R " + s.description() : "V" + s.version()) + "=" + s.state())
                .toList();
    }

    @Test
    void cleanHistoryHasNoFindingsAndReplaysEverything() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "add orders", 22);
        ResolvedMigration views = r("views", 33);
        FlywayHistoryReport report = checker.check(set(v1, v2, views), history(ok(1, v1), ok(2, v2), ok(3, views)));

        assertEquals(List.of(), report.findings());
        assertEquals(List.of("V1=success", "V2=success", "R views=success"), states(report));
        assertEquals(List.of(v1, v2, views), report.toReplay());
        assertEquals(List.of(v1, v2, views), report.allScripts());
        assertEquals(new MigrationStatus("2", "add orders", "SQL", "V2__add_orders.sql", "success", 2,
                "2024-01-02T10:00:00", "admin", 22, 22), report.statuses().get(1));
    }

    @Test
    void editedScriptIsAChecksumMismatch() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v3 = v("3", "add orders", 456);
        FlywayHistoryReport report = checker.check(set(v1, v3),
                history(ok(1, v1), row(2, "3", "add orders", "SQL", 123, true)));

        assertEquals(List.of(f(Kind.CHECKSUM_MISMATCH, "V3", "V3__add_orders.sql", "456", "123",
                "V3 add orders: script edited after it was applied (checksum 123 in history, 456 on disk)")),
                report.findings());
        assertEquals(List.of("V1=success", "V3=success"), states(report));
        assertEquals(List.of(v1, v3), report.toReplay());
    }

    @Test
    void appliedWithoutScriptIsMissingButNewerThanAllScriptsIsFuture() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v3 = v("3", "three", 33);
        FlywayHistoryReport report = checker.check(set(v1, v3), history(ok(1, v1),
                row(2, "2", "gone", "SQL", 22, true), ok(3, v3),
                row(4, "4", "from the future", "SQL", 44, true), row(5, "4.1", "also future", "SQL", 41, true)));

        assertEquals(List.of(
                f(Kind.MISSING, "V2", "V2__gone.sql", null, "V2__gone.sql",
                        "V2 gone: applied (rank 2) but V2__gone.sql is not among the local scripts"),
                f(Kind.FUTURE, "V4", "V4__from_the_future.sql", null, "4",
                        "V4 from the future: applied version 4 is newer than the newest local script (V3)"),
                f(Kind.FUTURE, "V4.1", "V4_1__also_future.sql", null, "4.1",
                        "V4.1 also future: applied version 4.1 is newer than the newest local script (V3)")),
                report.findings());
        assertEquals(List.of("V1=success", "V2=missing", "V3=success", "V4=future", "V4.1=future"), states(report));
        assertEquals(List.of(v1, v3), report.toReplay());
    }

    @Test
    void unappliedScriptsArePendingWhenNewerAndIgnoredWhenOlder() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "forgotten", 22);
        ResolvedMigration v3 = v("3", "three", 33);
        ResolvedMigration v4 = v("4", "next", 44);
        ResolvedMigration views = r("views", 55);
        FlywayHistoryReport report = checker.check(set(v1, v2, v3, v4, views), history(ok(1, v1), ok(2, v3)));

        assertEquals(List.of(
                f(Kind.IGNORED, "V2", "V2__forgotten.sql", null, null,
                        "V2 forgotten: not applied but older than the latest applied version 3"
                                + " (Flyway skips it unless outOfOrder is enabled)"),
                f(Kind.PENDING, "V4", "V4__next.sql", null, null, "V4 next: not applied yet (V4__next.sql)"),
                f(Kind.PENDING, "R views", "R__views.sql", null, null, "R views: not applied yet (R__views.sql)")),
                report.findings());
        assertEquals(List.of("V1=success", "V3=success", "V2=ignored", "V4=pending", "R views=pending"),
                states(report));
        assertEquals(List.of(v1, v3), report.toReplay());
    }

    @Test
    void lowerVersionAppliedLaterIsOutOfOrder() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "hotfix", 22);
        ResolvedMigration v3 = v("3", "three", 33);
        FlywayHistoryReport report = checker.check(set(v1, v2, v3), history(ok(1, v1), ok(2, v3), ok(3, v2)));

        assertEquals(List.of(f(Kind.OUT_OF_ORDER, "V2", "V2__hotfix.sql", null, null,
                "V2 hotfix: applied out of order (rank 3, after a higher version)")), report.findings());
        assertEquals(List.of("V1=success", "V3=success", "V2=out of order"), states(report));
        assertEquals(List.of(v1, v2, v3), report.toReplay());
    }

    @Test
    void failedRowIsFailedAndNotReplayed() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "add index", 22);
        FlywayHistoryReport report = checker.check(set(v1, v2),
                history(ok(1, v1), row(2, "2", "add index", "SQL", 22, false)));

        assertEquals(List.of(f(Kind.FAILED, "V2", "V2__add_index.sql", null, null,
                "V2 add index: failed when applied (rank 2); fix it and run flyway repair")), report.findings());
        assertEquals(List.of("V1=success", "V2=failed"), states(report));
        assertEquals(List.of(v1), report.toReplay());
    }

    @Test
    void changedRepeatableIsOutdatedAgainstItsLatestApplication() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration views = r("views", 3);
        ResolvedMigration same = r("functions", 7);
        FlywayHistoryReport report = checker.check(set(v1, same, views), history(ok(1, v1),
                row(2, null, "views", "SQL", 1, true), row(3, null, "functions", "SQL", 7, true),
                row(4, null, "views", "SQL", 2, true)));

        assertEquals(List.of(f(Kind.OUTDATED, "R views", "R__views.sql", "3", "2",
                "R views: changed since it was last applied (checksum 2 in history, 3 on disk);"
                        + " the next migrate re-applies it")), report.findings());
        assertEquals(List.of("V1=success", "R functions=success", "R views=outdated"), states(report));
        assertEquals(List.of(v1, same, views), report.toReplay());
    }

    @Test
    void repeatableWithoutScriptIsMissing() {
        ResolvedMigration v1 = v("1", "init", 11);
        FlywayHistoryReport report = checker.check(set(v1), history(ok(1, v1), row(2, null, "old views", "SQL", 5, true)));

        assertEquals(List.of(f(Kind.MISSING, "R old views", "R__old_views.sql", null, "R__old_views.sql",
                "R old views: applied (rank 2) but R__old_views.sql is not among the local scripts")),
                report.findings());
        assertEquals(List.of(v1), report.toReplay());
    }

    @Test
    void baselineReplaysScriptsAtOrBelowItAndIsNotMissing() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v5 = v("5", "five", 55);
        ResolvedMigration v6 = v("6", "six", 66);
        ResolvedMigration v7 = v("7", "seven", 77);
        AppliedMigration baseline = new AppliedMigration(2, "5", "<< Flyway Baseline >>", "BASELINE",
                "<< Flyway Baseline >>", null, "admin", "2024-01-02T10:00:00", 0, true);
        FlywayHistoryReport report = checker.check(set(v1, v5, v6, v7), history(
                row(1, "3", "before baseline", "SQL", 3, true), baseline, ok(3, v6)));

        assertEquals(List.of(f(Kind.BASELINE, "V5", "<< Flyway Baseline >>", null, null,
                "V5 << Flyway Baseline >>: the version table starts from a baseline at version 5;"
                        + " scripts at or below it were not run by Flyway here"),
                f(Kind.PENDING, "V7", "V7__seven.sql", null, null, "V7 seven: not applied yet (V7__seven.sql)")),
                report.findings());
        assertEquals(List.of("V3=success", "V5=baseline", "V6=success", "V1=below baseline", "V7=pending"),
                states(report));
        assertEquals(List.of(v1, v5, v6), report.toReplay());
    }

    @Test
    void javaRowsCannotBeReplayed() {
        ResolvedMigration v1 = v("1", "init", 11);
        FlywayHistoryReport report = checker.check(set(v1), history(ok(1, v1),
                row(2, "1.5", "seed data", "JDBC", null, true), row(3, null, "refresh", "SPRING_JDBC", null, true)));

        assertEquals(List.of(
                f(Kind.CANNOT_REPLAY, "V1.5", "V1_5__seed_data.sql", null, null,
                        "V1.5 seed data: applied by a JDBC migration, which cannot be replayed into the shadow database"),
                f(Kind.CANNOT_REPLAY, "R refresh", "R__refresh.sql", null, null,
                        "R refresh: applied by a SPRING_JDBC migration, which cannot be replayed into the shadow database")),
                report.findings());
        assertEquals(List.of("V1=success", "V1.5=success", "R refresh=success"), states(report));
        assertEquals(List.of(v1), report.toReplay());
    }

    @Test
    void rowsBreakingFlywaysRulesAreInvalidAndUsedIgnoredOrRefusedAsFlywayReadsThem() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "two", 22);
        FlywayHistoryReport report = checker.check(set(v1, v2), history(ok(1, v1),
                row(2, "2", "two", "SQL", null, true),
                row(3, "abc", "bad version", "SQL", 1, true),
                row(4, "3", "no type", null, 1, true),
                row(5, null, "odd", "MAGIC", 1, true),
                new AppliedMigration(6, "4", "no script", "SQL", null, 1, "admin", null, 0, true)));

        assertEquals(List.of(
                f(Kind.INVALID_ROW, "V2", "V2__two.sql", null, null, "V2: version table row installed_rank 2,"
                        + " column checksum: NULL on an SQL row (Flyway skips the checksum check); Flyway still"
                        + " counts it, and so does the audit"),
                f(Kind.INVALID_ROW, "V3", "V3__no_type.sql", null, null, "V3: version table row installed_rank 4,"
                        + " column type: NULL (Flyway cannot read the table: it fails on the NULL type); what is"
                        + " applied is unknown, so the schema was not compared"),
                f(Kind.INVALID_ROW, "V4", null, null, null, "V4: version table row installed_rank 6, column script:"
                        + " NULL (Flyway matches the row by version); Flyway still counts it, and so does the audit"),
                f(Kind.FUTURE, "V4", null, null, "4",
                        "V4 no script: applied version 4 is newer than the newest local script (V2)"),
                f(Kind.INVALID_ROW, "rank 3", "Vabc__bad_version.sql", null, null, "rank 3: version table row"
                        + " installed_rank 3, column version: 'abc' is not a Flyway version (Flyway cannot read the"
                        + " table: \"Invalid version\"); what is applied is unknown, so the schema was not compared"),
                f(Kind.INVALID_ROW, "rank 5", "R__odd.sql", null, null, "rank 5: version table row installed_rank 5,"
                        + " column type: 'MAGIC' is not a Flyway migration type (Flyway cannot read the table:"
                        + " \"Unknown migration type\"); what is applied is unknown, so the schema was not compared")),
                report.findings());
        assertEquals(List.of("V1=success", "V2=success", "Vabc=invalid", "V3=invalid", "R odd=invalid", "V4=future"),
                states(report));
        assertEquals(List.of(v1, v2), report.toReplay(), "the NULL-checksum row still counts as applied");
        assertEquals("version table row installed_rank 3, column version: 'abc' is not a Flyway version (Flyway"
                + " cannot read the table: \"Invalid version\"); version table row installed_rank 4, column type:"
                + " NULL (Flyway cannot read the table: it fails on the NULL type); version table row installed_rank"
                + " 5, column type: 'MAGIC' is not a Flyway migration type (Flyway cannot read the table: \"Unknown"
                + " migration type\")", report.replayRefused());
    }

    @Test
    void goodRowsLeaveTheReplayAlone() {
        ResolvedMigration v1 = v("1", "init", 11);
        assertEquals(null, checker.check(set(v1), history(ok(1, v1))).replayRefused());
    }

    /** issue 14: a copied row was reported clean (as DW206 out of order, info) */
    @Test
    void secondSuccessfulRowForAVersionIsInvalidAndTheVersionReplayedOnce() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "two", 22);
        FlywayHistoryReport report = checker.check(set(v1, v2), history(ok(1, v1), ok(2, v2), ok(3, v1)));
        assertEquals(List.of(f(Kind.INVALID_ROW, "V1", "V1__init.sql", null, null, "V1: version table row"
                        + " installed_rank 3, column version: 1 is applied already (installed_rank 1); the row is"
                        + " ignored, as Flyway does not count it as an application")), report.findings());
        assertEquals(List.of(v1, v2), report.toReplay());
        assertEquals(null, report.replayRefused());
        assertEquals(List.of("V1=success", "V2=success", "V1=invalid"), states(report));
    }

    @Test
    void reapplyingAfterADeleteRowIsNoDuplicate() {
        ResolvedMigration v1 = v("1", "init", 11);
        FlywayHistoryReport report = checker.check(set(v1), history(ok(1, v1), row(2, "1", "init", "DELETE", null, true),
                ok(3, v1)));
        assertEquals(List.of(), report.findings());
        assertEquals(List.of(v1), report.toReplay());
    }

    /** issue 14: a NULL success read as failed left V2 out of the replay, and V4 failed to replay (exit 4) */
    @Test
    void nullSuccessRefusesTheReplayWhenTheScriptIsLocalAndIsIgnoredOtherwise() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "two", 22);
        AppliedMigration nullSuccess = new AppliedMigration(2, "2", "two", "SQL", "V2__two.sql", 22, "admin", null, 0,
                false, true);
        FlywayHistoryReport refused = checker.check(set(v1, v2), history(ok(1, v1), nullSuccess));
        assertEquals(List.of(f(Kind.INVALID_ROW, "V2", "V2__two.sql", null, null, "V2: version table row"
                + " installed_rank 2, column success: NULL (Flyway reads it as failed; whether it ran is unknown);"
                + " what is applied is unknown, so the schema was not compared")), refused.findings());
        assertEquals("version table row installed_rank 2, column success: NULL (Flyway reads it as failed; whether"
                + " it ran is unknown)", refused.replayRefused());
        assertEquals(List.of("V1=success", "V2=invalid"), states(refused));

        FlywayHistoryReport ignored = checker.check(set(v1), history(ok(1, v1), nullSuccess));
        assertEquals(List.of(f(Kind.INVALID_ROW, "V2", "V2__two.sql", null, null, "V2: version table row"
                + " installed_rank 2, column success: NULL (Flyway reads it as failed; no local script has it);"
                + " the row is ignored, as Flyway does not count it as an application")), ignored.findings());
        assertEquals(null, ignored.replayRefused());
        assertEquals(List.of(v1), ignored.toReplay());
    }

    @Test
    void nullDescriptionCountsOnAVersionedRowAndIsIgnoredOnARepeatable() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration views = r("views", 33);
        FlywayHistoryReport report = checker.check(set(v1, views), history(
                new AppliedMigration(1, "1", null, "SQL", "V1__init.sql", 11, "admin", null, 0, true),
                new AppliedMigration(2, null, null, "SQL", "R__views.sql", 33, "admin", null, 0, true)));
        assertEquals(List.of(
                f(Kind.INVALID_ROW, "V1", "V1__init.sql", null, null, "V1: version table row installed_rank 1,"
                        + " column description: NULL (Flyway matches the row by version); Flyway still counts it,"
                        + " and so does the audit"),
                f(Kind.PENDING, "R views", "R__views.sql", null, null, "R views: not applied yet (R__views.sql)"),
                f(Kind.INVALID_ROW, "rank 2", "R__views.sql", null, null, "rank 2: version table row"
                        + " installed_rank 2, column description: NULL on a repeatable row (Flyway matches"
                        + " repeatables by description); the row is ignored, as Flyway does not count it as an"
                        + " application")),
                report.findings());
        assertEquals(List.of(v1), report.toReplay());
        assertEquals(null, report.replayRefused());
    }

    @Test
    void deleteRowsFromRepairCancelTheEarlierRow() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v3 = v("3", "three", 33);
        FlywayHistoryReport report = checker.check(set(v1, v3), history(ok(1, v1),
                row(2, "2", "gone", "SQL", 22, true), ok(3, v3),
                row(4, null, "old views", "SQL", 5, true),
                row(5, "2", "gone", "DELETE", 22, true),
                row(6, null, "old views", "DELETE", 5, true)));

        assertEquals(List.of(), report.findings());
        assertEquals(List.of("V1=success", "V3=success"), states(report));
        assertEquals(List.of(v1, v3), report.toReplay());
    }

    @Test
    void versionsMatchAfterNormalisation() {
        ResolvedMigration v1 = v("1.0", "init", 11);
        ResolvedMigration v2 = v("2.1", "two", 21);
        FlywayHistoryReport report = checker.check(set(v1, v2),
                history(row(1, "1", "init", "SQL", 11, true), row(2, "2.1.0", "two", "SQL", 21, true)));

        assertEquals(List.of(), report.findings());
        assertEquals(List.of(v1, v2), report.toReplay());
    }

    @Test
    void withoutHistoryEverythingIsPendingAndReplayed() {
        ResolvedMigration v1 = v("1", "init", 11);
        ResolvedMigration v2 = v("2", "two", 22);
        ResolvedMigration views = r("views", 33);
        FlywayHistoryReport report = checker.withoutHistory(set(v1, v2, views));

        assertEquals(List.of(), report.findings());
        assertEquals(List.of("V1=pending", "V2=pending", "R views=pending"), states(report));
        assertEquals(List.of(v1, v2, views), report.toReplay());
        assertEquals(List.of(v1, v2, views), report.allScripts());
    }
}
