package io.driftwatch.alembic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static reader agrees with Alembic on the fixture, and reads every literal style. */
class StaticRevisionReaderTest {

    static AlembicHelper helper;

    @BeforeAll
    static void open() throws AlembicException {
        PythonInterpreter python = new PythonLocator(System.getenv(), Duration.ofSeconds(20)).locate(null).require();
        helper = AlembicHelper.open(python, Duration.ofMinutes(2), System.getenv());
    }

    @AfterAll
    static void close() {
        helper.close();
    }

    @Test
    void agreesWithAlembicOnTheFixture() throws AlembicException {
        AlembicProject alembic = helper.inspect(AlembicFixture.tracker(), null);
        AlembicProject stat = new StaticRevisionReader().read(AlembicFixture.tracker());
        assertTrue(stat.isStatic());
        assertEquals(StaticRevisionReader.STATIC_NOTE, stat.warnings().get(0));
        assertTrue(stat.graphOk());
        assertEquals(alembic.graphErrors(), stat.graphErrors());
        assertEquals(alembic.heads(), stat.heads());
        assertEquals(alembic.bases(), stat.bases());
        assertEquals(alembic.scriptLocation(), stat.scriptLocation());
        assertEquals(alembic.versionLocations(), stat.versionLocations());
        assertEquals(alembic.versionTable(), stat.versionTable());
        assertEquals(alembic.versionTableSchema(), stat.versionTableSchema());
        assertEquals(alembic.envPyMentions(), stat.envPyMentions());
        assertEquals(alembic.revisions().size(), stat.revisions().size());
        for (int i = 0; i < alembic.revisions().size(); i++) {
            AlembicRevision a = alembic.revisions().get(i);
            AlembicRevision s = stat.revisions().get(i);
            // what Alembic alone knows: how labels spread along a branch
            AlembicRevision expected = new AlembicRevision(a.revision(), a.downRevisions(), a.dependsOn(),
                    a.resolvedDependsOn(), a.branchLabels(), null, a.path(), a.doc(), a.head(), a.base(),
                    a.mergePoint(), a.branchPoint());
            assertEquals(expected, s);
        }
        // the static order is a topological order of the same revisions
        assertEquals(new java.util.TreeSet<>(alembic.order()), new java.util.TreeSet<>(stat.order()));
        for (AlembicRevision r : stat.revisions()) {
            for (String d : r.downRevisions()) {
                assertTrue(stat.order().indexOf(d) < stat.order().indexOf(r.revision()), d + " before " + r.revision());
            }
            for (String d : r.resolvedDependsOn()) {
                assertTrue(stat.order().indexOf(d) < stat.order().indexOf(r.revision()), d + " before " + r.revision());
            }
        }
    }

    @Test
    void readsBothTemplateStylesAndEveryLiteralForm() {
        StaticRevisionReader.Parsed annotated = StaticRevisionReader.parse(String.join("\n",
                "\"\"\"add votes",
                "",
                "revision = 'not_this_one'",
                "Revision ID: 1a2b3c4d5e6f",
                "\"\"\"",
                "from typing import Sequence, Union",
                "",
                "# revision identifiers, used by Alembic.",
                "revision: str = \"1a2b3c4d5e6f\"",
                "down_revision: Union[str, Sequence[str], None] = (",
                "    \"aaaaaaaaaaaa\",  # the main line",
                "    'bbbb' 'bbbbbbbb',",
                ")",
                "branch_labels: Union[str, Sequence[str], None] = ['votes']",
                "depends_on: Union[str, Sequence[str], None] = None",
                "",
                "def upgrade() -> None:",
                "    revision = 'inner'",
                "    down_revision = None",
                ""), "x.py");
        assertEquals("1a2b3c4d5e6f", annotated.revision);
        assertEquals(List.of("aaaaaaaaaaaa", "bbbbbbbbbbbb"), annotated.downRevisions);
        assertEquals(List.of("votes"), annotated.branchLabels);
        assertEquals(List.of(), annotated.dependsOn);
        assertEquals("add votes", annotated.doc);
        assertNull(annotated.problem);

        StaticRevisionReader.Parsed old = StaticRevisionReader.parse(String.join("\n",
                "# -*- coding: utf-8 -*-",
                "'''old style'''",
                "revision = '9f8e7d6c5b4a'; down_revision = u'1a2b3c4d5e6f'",
                "branch_labels = ('reports',)",
                "depends_on = {\"1a2b3c4d5e6f\"}",
                ""), "y.py");
        assertEquals("9f8e7d6c5b4a", old.revision);
        assertEquals(List.of("1a2b3c4d5e6f"), old.downRevisions);
        assertEquals(List.of("reports"), old.branchLabels);
        assertEquals(List.of("1a2b3c4d5e6f"), old.dependsOn);
        assertEquals("old style", old.doc);

        StaticRevisionReader.Parsed computed = StaticRevisionReader.parse(
                "revision = 'c0ffee000001'\ndown_revision = PREVIOUS\n", "z.py");
        assertEquals("c0ffee000001", computed.revision);
        assertTrue(computed.problem.startsWith("down_revision is not a literal"), computed.problem);
    }

    @Test
    void graphErrorsWithoutPython(@TempDir Path tmp) throws Exception {
        Path project = AlembicFixture.copy(tmp);
        Path versions = project.resolve("migrations/versions");
        Files.writeString(versions.resolve("0badc0ffee00_orphan.py"), AlembicHelperTest.revisionFile("0badc0ffee00", "'0000deadbeef'"));
        Files.writeString(versions.resolve("c1_a.py"), AlembicHelperTest.revisionFile("c1", "'c2'"));
        Files.writeString(versions.resolve("c2_b.py"), AlembicHelperTest.revisionFile("c2", "'c1'"));
        Files.writeString(versions.resolve("no_revision.py"), "\"\"\"a helper module, not a revision\"\"\"\nX = 1\n");
        AlembicProject p = new StaticRevisionReader().read(new AlembicConfig(project.resolve("alembic.ini"), null, null));
        assertFalse(p.graphOk());
        assertNull(p.order());
        assertEquals(List.of("unreadable-file", "missing-parent", "cycle"),
                p.graphErrors().stream().map(AlembicProject.GraphError::kind).toList());
        assertEquals(List.of("migrations/versions/no_revision.py"), p.graphErrors().get(0).related());
        assertEquals(List.of("0000deadbeef"), p.graphErrors().get(1).related());
        assertEquals(List.of("c1", "c2"), p.graphErrors().get(2).related());
    }
}
