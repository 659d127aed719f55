package io.driftwatch.postgres.gate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HazardScript}: what the script text says that the catalog cannot. */
class HazardScriptTest {

    @Test
    void concurrentlyIsFoundWhateverTheSpellingOfTheName() {
        HazardScript s = new HazardScript("""
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Odd ""Name""\" ON ONLY "S"."T" (a);
                create index concurrently Lower_Me on t (b);
                CREATE INDEX plain_idx ON t (c);
                CREATE INDEX CONCURRENTLY ON public.autonamed (d);
                """);
        assertTrue(s.buildsConcurrently("Odd \"Name\"", "T"));
        assertTrue(s.buildsConcurrently("lower_me", "t"), "bare names fold to lower case");
        assertFalse(s.buildsConcurrently("Lower_Me", "t"), "the catalog name is lower case; this one does not exist");
        assertFalse(s.buildsConcurrently("plain_idx", "t"));
        assertTrue(s.buildsConcurrently("autonamed_d_idx", "autonamed"), "unnamed: matched by table");
        assertFalse(s.buildsConcurrently("t_d_idx", "t"));
        assertTrue(s.buildsIndex("plain_idx"));
        assertFalse(s.buildsIndex("elsewhere"));
    }

    @Test
    void commentsStringsAndFunctionBodiesHideStatements() {
        HazardScript s = new HazardScript("""
                -- CREATE INDEX CONCURRENTLY a ON t (x);
                /* outer /* nested */ CREATE INDEX CONCURRENTLY b ON t (x); */
                COMMENT ON TABLE t IS 'CREATE INDEX CONCURRENTLY c ON t (x)';
                DO $body$ BEGIN EXECUTE 'x'; CREATE INDEX CONCURRENTLY d ON t (x); END $body$;
                SELECT E'it\\'s CREATE INDEX CONCURRENTLY e ON t (x)';
                CREATE INDEX CONCURRENTLY f ON t (x);
                """);
        for (String hidden : new String[] {"a", "b", "c", "d", "e"}) {
            assertFalse(s.buildsConcurrently(hidden, "t"), hidden);
        }
        assertTrue(s.buildsConcurrently("f", "t"), "a statement after all of them is still seen");
    }

    @Test
    void blankingKeepsOffsetsAndLineBreaks() {
        String sql = "SELECT 'a\nb' -- c\n, $$x$$ /* y\n */";
        String b = HazardScript.blank(sql);
        assertEquals(sql.length(), b.length());
        assertEquals("SELECT ' \n '     \n, $$ $$     \n   ", b);
    }

    @Test
    void usingIndexNamesTheIndexAConstraintIsBuiltFrom() {
        HazardScript s = new HazardScript("""
                ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_uniq;
                ALTER TABLE t ADD UNIQUE USING INDEX "Code Idx";
                """);
        assertEquals("t_id_uniq", s.usingIndex("t_pkey"));
        assertEquals("Code Idx", s.usingIndex("Code Idx"), "without CONSTRAINT the constraint takes the index's name");
        assertNull(s.usingIndex("t_id_uniq"));
        assertTrue(s.becomesConstraint("t_id_uniq"));
        assertFalse(s.becomesConstraint("t_pkey"));
    }

    @Test
    void dropAndReindexConcurrently() {
        HazardScript s = new HazardScript("""
                DROP INDEX CONCURRENTLY IF EXISTS public.a_idx, "B idx";
                REINDEX (VERBOSE) INDEX CONCURRENTLY s.c_idx;
                DROP INDEX d_idx;
                """);
        assertTrue(s.dropsConcurrently("a_idx"));
        assertTrue(s.dropsConcurrently("B idx"));
        assertFalse(s.dropsConcurrently("d_idx"));
        assertTrue(s.reindexesConcurrently("c_idx"));
        assertFalse(s.reindexesConcurrently("a_idx"));
    }

    @Test
    void lockTimeoutCountsOnlyWhenNonZero() {
        assertTrue(new HazardScript("SET lock_timeout = '5s';").setsLockTimeout());
        assertTrue(new HazardScript("set local lock_timeout to 3000;").setsLockTimeout());
        assertFalse(new HazardScript("SET lock_timeout = 0;").setsLockTimeout());
        assertFalse(new HazardScript("SET lock_timeout = '0';").setsLockTimeout());
        assertFalse(new HazardScript("SET lock_timeout = '5s'; SET lock_timeout TO DEFAULT;").setsLockTimeout(),
                "the last setting wins");
        assertFalse(new HazardScript("-- SET lock_timeout = '5s'").setsLockTimeout());
        assertFalse(new HazardScript(null).setsLockTimeout());
    }

    @Test
    void validateConstraintIsSeen() {
        HazardScript s = new HazardScript("ALTER TABLE t VALIDATE CONSTRAINT \"Fk X\";");
        assertTrue(s.validates("Fk X"));
        assertFalse(s.validates("fk x"));
    }
}
