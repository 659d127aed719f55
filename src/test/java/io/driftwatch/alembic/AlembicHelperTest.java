package io.driftwatch.alembic;

import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper against the real Alembic (Debian's python3-alembic) and real PostgreSQL. */
class AlembicHelperTest {

    static final String MERGE = "b6e7c93daf32";
    static final String BRANCH_POINT = "2328fd117211";
    static final String REPORTING_ROOT = "4e16dc820b45";
    static final String REPORTING_TIP = "8740883c7e84";
    static final String ATTACHMENTS_TIP = "3a3dc376438b";
    static final String HEAD = "railway_safe_schema_sync";

    /** `alembic upgrade heads` from an empty database, as Alembic 1.8.1 orders it. */
    static final List<String> ORDER = List.of("845ab6c07432", "2c88fd1f578f", "41739c29abea", "2cab31935819",
            "39a3cc3ae644", "5ce905cdd72a", "2b388d205d85", "c30534995843", "07b72df9b2bc", "7a4092b616f5",
            "24f5baedb6ae", "9d3bb4cf12dd", "e982b79abbb9", "f706130dcd7e", "2328fd117211", "4e16dc820b45",
            "04a0236bb51c", "3a3dc376438b", "8740883c7e84", "b6e7c93daf32", "4da7d1b0fce6", "6c11a5e807a5",
            "913e8be42731", "23738d2711e9", "7830b20a1861", "b6c42b7cb1a7", "39f8e64c74c1", "af834d34a055",
            "b0cd1c0c8eeb", "96a73874d8d9", "ff0dc0bc0379", "7794b3862fd8", "3834e8d9bb0c", HEAD);

    /**
     * Alembic orders revisions of independent branches by its revision map's insertion order, which is
     * the version folder's listing order (os.listdir, filesystem-dependent in Alembic 1.8). Only the
     * graph's constraints hold everywhere: this puts the two branches' revisions in {@link #ORDER}'s
     * order after checking the constraints.
     */
    static List<String> canonical(List<String> actual) {
        List<String> branch = List.of(REPORTING_ROOT, "04a0236bb51c", ATTACHMENTS_TIP, REPORTING_TIP);
        before(actual, REPORTING_ROOT, REPORTING_TIP);
        before(actual, "04a0236bb51c", ATTACHMENTS_TIP);
        before(actual, REPORTING_ROOT, ATTACHMENTS_TIP); // depends_on
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            if (branch.contains(actual.get(i))) {
                slots.add(i);
            }
        }
        List<String> inOrder = branch.stream().filter(actual::contains).toList();
        List<String> out = new ArrayList<>(actual);
        for (int i = 0; i < slots.size(); i++) {
            out.set(slots.get(i), inOrder.get(i));
        }
        return out;
    }

    private static void before(List<String> list, String first, String then) {
        if (list.contains(first) && list.contains(then)) {
            assertTrue(list.indexOf(first) < list.indexOf(then), first + " must come before " + then + ": " + list);
        }
    }

    static AlembicHelper helper;

    @BeforeAll
    static void open() throws AlembicException {
        PythonInterpreter python = new PythonLocator(System.getenv(), Duration.ofSeconds(20)).locate(null).require();
        helper = AlembicHelper.open(python, Duration.ofMinutes(3), System.getenv());
    }

    @AfterAll
    static void close() {
        helper.close();
    }

    @Test
    void inspectGivesTheFixturesGraph() throws AlembicException {
        AlembicProject p = helper.inspect(AlembicFixture.tracker(), null);
        assertFalse(p.isStatic());
        assertTrue(p.graphOk());
        assertEquals(List.of(), p.graphErrors());
        assertEquals(34, p.revisions().size());
        assertEquals(List.of(HEAD), p.heads());
        assertEquals(List.of("845ab6c07432"), p.bases());
        assertEquals(List.of(MERGE), p.revisions().stream().filter(AlembicRevision::mergePoint).map(AlembicRevision::revision).toList());
        assertEquals(List.of(BRANCH_POINT), p.revisions().stream().filter(AlembicRevision::branchPoint).map(AlembicRevision::revision).toList());
        assertEquals(ORDER, canonical(p.order()));
        assertEquals(List.of(REPORTING_TIP, ATTACHMENTS_TIP), p.revision(MERGE).downRevisions());

        AlembicRevision dependent = p.revision(ATTACHMENTS_TIP);
        assertEquals(List.of("reporting"), dependent.dependsOn());
        assertEquals(List.of(REPORTING_ROOT), dependent.resolvedDependsOn());
        assertEquals(List.of("reporting"), p.revision(REPORTING_ROOT).branchLabels());
        assertEquals("migrations/reporting/4e16dc820b45_create_issue_events.py", p.revision(REPORTING_ROOT).path());
        assertEquals("create issue_events (reporting branch)", p.revision(REPORTING_ROOT).doc());

        assertEquals(List.of("migrations/versions", "migrations/reporting"), p.versionLocations().value());
        assertEquals("alembic.ini", p.versionLocations().source());
        assertEquals(new AlembicProject.Setting<>("alembic_version", "default"), p.versionTable());
        assertEquals(new AlembicProject.Setting<String>(null, "default"), p.versionTableSchema());
        assertEquals(AlembicFixture.TRACKER.resolve("migrations").toString(), p.scriptLocation().value());
        assertEquals(32, p.versionNumLength());
        assertTrue(p.envPyMentions().contains("DATABASE_URL"));
        assertNotNull(p.alembicVersion());
    }

    @Test
    void stateOfARowCountsDependenciesAsApplied() throws AlembicException {
        // 3a3dc376438b depends_on the reporting branch: its root is applied, the branch's tip is not
        AlembicState s = helper.inspect(AlembicFixture.tracker(), List.of(ATTACHMENTS_TIP)).state();
        assertEquals(ORDER.subList(0, 18), canonical(s.applied()));
        assertTrue(s.applied().contains(REPORTING_ROOT));
        assertFalse(s.applied().contains(REPORTING_TIP));
        assertEquals(ORDER.subList(18, ORDER.size()), s.pending());
        assertEquals(List.of(ATTACHMENTS_TIP), s.pendingFrom());
        assertEquals(List.of(), s.unknown());
        assertEquals(List.of(), s.overlapping());
        assertNull(s.upgradeHeadsError());
        assertNull(s.upgradeHeadError());
    }

    @Test
    void stateReportsUnknownAndOverlappingRows() throws AlembicException {
        // story 004: rows inserted by hand, an id from a laptop and an ancestor of the head
        AlembicState s = helper.inspect(AlembicFixture.tracker(), List.of(HEAD, "a1409a6c4f88", "7794b3862fd8")).state();
        assertEquals(List.of("a1409a6c4f88"), s.unknown());
        assertEquals(List.of(new AlembicState.Overlap("7794b3862fd8", HEAD)), s.overlapping());
        assertEquals("Can't locate revision identified by 'a1409a6c4f88'", s.upgradeHeadsError());
        assertEquals(List.of(HEAD), s.pendingFrom());
        assertEquals(List.of(), s.pending());
        assertEquals(ORDER, canonical(s.applied()));
        assertEquals(List.of(new AlembicState.Row(HEAD, true, null), new AlembicState.Row("a1409a6c4f88", false, null),
                new AlembicState.Row("7794b3862fd8", true, null)), s.rows());

        // an empty table: everything is pending, in upgrade order
        AlembicState empty = helper.inspect(AlembicFixture.tracker(), List.of()).state();
        assertEquals(List.of(), empty.applied());
        assertEquals(ORDER, canonical(empty.pending()));
    }

    @Test
    void upgradeToAMidRevisionThenToHeads() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            String url = AlembicFixture.url(db);
            AlembicRun mid = helper.upgrade(AlembicFixture.tracker(), url, List.of(ATTACHMENTS_TIP));
            assertEquals(ORDER.subList(0, 18), canonical(mid.applied()));
            // the dependency's row is merged into the dependent's, as Alembic's HeadMaintainer does
            assertEquals(List.of(ATTACHMENTS_TIP), mid.rows());
            assertEquals(List.of(ATTACHMENTS_TIP), versionRows(db));
            assertEquals(new AlembicProject.Setting<>("alembic_version", "env.py"), mid.versionTable());
            assertEquals(Boolean.TRUE, mid.versionTableExists());
            assertEquals(List.of("alembic_version", "attachments", "comments", "issue_events", "issue_labels",
                    "issues", "labels", "milestones", "projects", "users"), tables(db));
            assertEquals(List.of(ATTACHMENTS_TIP), helper.current(AlembicFixture.tracker(), url).rows());

            AlembicRun all = helper.upgrade(AlembicFixture.tracker(), url, List.of("heads"));
            assertEquals(ORDER.subList(18, ORDER.size()), all.applied());
            assertEquals(List.of(HEAD), all.rows());
            assertTrue(tables(db).containsAll(List.of("saved_searches", "watchers", "notifications", "audit_log")));
            // the CONCURRENTLY index of the autocommit block, the raw-SQL view, the data migration
            assertEquals(1, count(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_comments_issue_id_created_at'"));
            assertEquals(1, count(db, "SELECT count(*) FROM pg_views WHERE viewname = 'open_issues' AND definition LIKE '%blocked%'"));
            assertEquals(3, count(db, "SELECT count(*) FROM labels WHERE project_id IS NULL"));
        }
    }

    @Test
    void upgradeToSeveralTargetsInOneRun() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicRun r = helper.upgrade(AlembicFixture.tracker(), AlembicFixture.url(db),
                    List.of(REPORTING_TIP, "04a0236bb51c"));
            assertEquals(List.of(ORDER.get(14), REPORTING_ROOT, "04a0236bb51c", REPORTING_TIP),
                    canonical(r.applied()).subList(14, r.applied().size()));
            assertEquals(List.of("04a0236bb51c", REPORTING_TIP), r.rows());
            assertFalse(tables(db).contains("watchers"));
        }
    }

    @Test
    void upgradeFailureNamesTheRevisionAndThePythonError(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Path broken = project.resolve("migrations/versions/913e8be42731_projects_archived_at.py");
        Files.writeString(broken, Files.readString(broken).replace("sa.Column(\"archived_at\"", "sa.Column(\"name\""));
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicException e = assertThrows(AlembicException.class, () -> helper.upgrade(
                    new AlembicConfig(project.resolve("alembic.ini"), null, null), AlembicFixture.url(db), List.of("heads")));
            assertEquals("revision", e.kind());
            assertEquals("913e8be42731", e.revision());
            assertEquals("revision 913e8be42731 (migrations/versions/913e8be42731_projects_archived_at.py) failed: "
                    + "psycopg2.errors.DuplicateColumn: column \"name\" of relation \"projects\" already exists", e.getMessage());
            assertEquals("upgrade", e.details().phase());
            assertEquals(22, e.details().line());
            assertEquals("ALTER TABLE projects ADD COLUMN name TIMESTAMP WITH TIME ZONE", e.details().sql());
            assertEquals(ORDER.subList(0, ORDER.indexOf("913e8be42731")), canonical(e.details().ranBefore()));
            assertTrue(e.details().traceback().contains("DuplicateColumn"), e.details().traceback());
            assertTrue(e.details().stderr().contains("Running upgrade 6c11a5e807a5 -> 913e8be42731"), e.details().stderr());
            // one transaction: the version table keeps what the autocommit block committed last
            assertEquals(List.of("f706130dcd7e"), versionRows(db));
        }
    }

    @Test
    void aRevisionIdTooLongForTheVersionTableFailsWritingItsRow(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Files.writeString(project.resolve("migrations/versions/add_issue_votes.py"), String.join("\n",
                "\"\"\"add issue votes\"\"\"",
                "from alembic import op",
                "import sqlalchemy as sa",
                "revision = 'add_issue_votes_table_for_the_voting_feature'",
                "down_revision = 'railway_safe_schema_sync'",
                "branch_labels = None",
                "depends_on = None",
                "def upgrade():",
                "    op.create_table('votes', sa.Column('id', sa.Integer, primary_key=True))",
                "def downgrade():",
                "    op.drop_table('votes')",
                ""), StandardCharsets.UTF_8);
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicException e = assertThrows(AlembicException.class, () -> helper.upgrade(
                    new AlembicConfig(project.resolve("alembic.ini"), null, null), AlembicFixture.url(db), List.of("heads")));
            assertEquals("revision", e.kind());
            assertEquals("add_issue_votes_table_for_the_voting_feature", e.revision());
            assertEquals("version-table", e.details().phase());
            assertTrue(e.getMessage().endsWith("ran, but writing its version row failed: "
                    + "psycopg2.errors.StringDataRightTruncation: value too long for type character varying(32)"), e.getMessage());
        }
    }

    @Test
    void stampOfAMergeRevisionReplacesBothBranchRows() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            String url = AlembicFixture.url(db);
            helper.upgrade(AlembicFixture.tracker(), url, List.of(REPORTING_TIP, ATTACHMENTS_TIP));
            assertEquals(List.of(ATTACHMENTS_TIP, REPORTING_TIP), versionRows(db));

            AlembicRun stamp = helper.stamp(AlembicFixture.tracker(), url, List.of(MERGE), false);
            assertEquals(List.of(ATTACHMENTS_TIP, REPORTING_TIP), stamp.rowsBefore());
            assertEquals(List.of(MERGE), stamp.rows());
            assertEquals(List.of(MERGE), versionRows(db));
            assertEquals(2, stamp.statements().size(), stamp.statements().toString());
            assertTrue(stamp.statements().get(0).startsWith("DELETE FROM alembic_version"), stamp.statements().toString());
            assertTrue(stamp.statements().get(1).startsWith("UPDATE alembic_version SET version_num='" + MERGE + "'"),
                    stamp.statements().toString());
            // no table was touched: stamp runs no revision
            assertFalse(tables(db).contains("watchers"));

            AlembicRun purge = helper.stamp(AlembicFixture.tracker(), url, List.of(REPORTING_TIP, ATTACHMENTS_TIP), true);
            assertEquals(List.of(ATTACHMENTS_TIP, REPORTING_TIP), purge.rows());
            assertEquals("DELETE FROM alembic_version", purge.statements().get(0));
        }
    }

    @Test
    void brokenGraphsAreData(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Path extra = project.resolve("migrations/versions/0badc0ffee00_orphan.py");
        Files.writeString(extra, revisionFile("0badc0ffee00", "'0000deadbeef'"));
        AlembicConfig config = new AlembicConfig(project.resolve("alembic.ini"), null, null);
        AlembicProject missing = helper.inspect(config, List.of(HEAD));
        assertFalse(missing.graphOk());
        assertNull(missing.state());
        assertEquals(new AlembicProject.GraphError("missing-parent", "0badc0ffee00", List.of("0000deadbeef"),
                "revision 0badc0ffee00 names down_revision 0000deadbeef, which no script defines"), missing.graphErrors().get(0));
        assertEquals(List.of("0badc0ffee00", HEAD), missing.heads());

        Files.writeString(extra, revisionFile("0badc0ffee00", "'0badc0ffee01'"));
        Files.writeString(project.resolve("migrations/versions/0badc0ffee01_loop.py"), revisionFile("0badc0ffee01", "'0badc0ffee00'"));
        AlembicProject cycle = helper.inspect(config, null);
        assertFalse(cycle.graphOk());
        assertEquals(1, cycle.graphErrors().size(), cycle.graphErrors().toString());
        AlembicProject.GraphError g = cycle.graphErrors().get(0);
        assertEquals("cycle", g.kind());
        assertEquals(List.of("0badc0ffee00", "0badc0ffee01"), g.related());

        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicException e = assertThrows(AlembicException.class,
                    () -> helper.upgrade(config, AlembicFixture.url(db), List.of("heads")));
            assertEquals("graph", e.kind());
            assertEquals("cycle", e.details().graphErrors().get(0).kind());
        }
    }

    @Test
    void aRevisionFileThatCannotBeImportedIsNamed(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Path f = project.resolve("migrations/versions/7830b20a1861_issues_due_date.py");
        Files.writeString(f, Files.readString(f) + "\ndef oops(:\n");
        AlembicException e = assertThrows(AlembicException.class,
                () -> helper.inspect(new AlembicConfig(project.resolve("alembic.ini"), null, null), null));
        assertEquals("script", e.kind());
        assertEquals("migrations/versions/7830b20a1861_issues_due_date.py", e.details().path());
        assertTrue(e.getMessage().startsWith("cannot load revision file migrations/versions/7830b20a1861_issues_due_date.py: SyntaxError"),
                e.getMessage());
    }

    @Test
    void versionTableFromAlembicIniIsUsedThroughEnvPy(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Path ini = project.resolve("alembic.ini");
        Files.writeString(ini, Files.readString(ini).replace("prepend_sys_path = .",
                "prepend_sys_path = .\nversion_table = tracker_version"));
        AlembicConfig config = new AlembicConfig(ini, null, null);
        assertEquals(new AlembicProject.Setting<>("tracker_version", "alembic.ini"), helper.inspect(config, null).versionTable());
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicRun r = helper.upgrade(config, AlembicFixture.url(db), List.of("845ab6c07432"));
            assertEquals(new AlembicProject.Setting<>("tracker_version", "env.py"), r.versionTable());
            assertEquals(1, count(db, "SELECT count(*) FROM tracker_version WHERE version_num = '845ab6c07432'"));
            assertEquals(0, count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'"));
        }
    }

    @Test
    void currentCreatesNoVersionTable() throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            AlembicRun r = helper.current(AlembicFixture.tracker(), AlembicFixture.url(db));
            assertEquals(List.of(), r.rows());
            assertEquals(Boolean.FALSE, r.versionTableExists());
            assertEquals(0, count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'"));
        }
    }

    @Test
    void passwordsNeverAppear(@TempDir Path tmp) throws Exception {
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            String password = db.server().password();
            assertNotNull(password);
            // env.py prints the URL it got (to stdout, which the helper sends to stderr), then fails
            Path project = AlembicFixture.copy(tmp);
            Path env = project.resolve("migrations/env.py");
            Files.writeString(env, Files.readString(env).replace("def run_migrations_online():\n",
                    "def run_migrations_online():\n    print('connecting to', database_url())\n"
                            + "    print('the password is', __import__('sqlalchemy').engine.make_url(database_url()).password)\n"));
            AlembicConfig config = new AlembicConfig(project.resolve("alembic.ini"), null, null);
            String url = AlembicFixture.url(db);
            List<String> texts = new ArrayList<>();

            // a database that does not exist: the driver's error
            AlembicException missing = assertThrows(AlembicException.class,
                    () -> helper.current(config, url.replace(db.name(), "no_such_db")));
            assertEquals("database", missing.kind());
            assertTrue(missing.getMessage().contains("no_such_db"), missing.getMessage());
            collect(missing, texts);

            // a failing revision
            Path broken = project.resolve("migrations/versions/845ab6c07432_create_users.py");
            Files.writeString(broken, Files.readString(broken).replace("op.create_table(",
                    "raise RuntimeError('cannot reach ' + __import__('os').environ['DATABASE_URL'])\n    op.create_table("));
            AlembicException failed = assertThrows(AlembicException.class,
                    () -> helper.upgrade(config, url, List.of("heads")));
            assertEquals("revision", failed.kind());
            assertTrue(failed.getMessage().contains("RuntimeError: cannot reach postgresql://postgres:***@"), failed.getMessage());
            collect(failed, texts);
            assertTrue(failed.details().stderr().contains("the password is ***"), failed.details().stderr());

            for (String t : texts) {
                assertFalse(t.contains(password), "password in: " + t);
            }
        }
    }

    private static void collect(AlembicException e, List<String> into) {
        into.add(e.getMessage());
        AlembicException.Details d = e.details();
        into.add(String.valueOf(d.traceback()));
        into.add(String.valueOf(d.stderr()));
        into.add(String.valueOf(d.sql()));
    }

    static String revisionFile(String id, String down) {
        return String.join("\n", "\"\"\"extra\"\"\"", "revision = '" + id + "'", "down_revision = " + down,
                "branch_labels = None", "depends_on = None", "def upgrade():", "    pass", "def downgrade():", "    pass", "");
    }

    static List<String> versionRows(ShadowDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<String> tables(ShadowDatabase db) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return List.copyOf(out);
    }

    static long count(ShadowDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
