package io.driftwatch.testsupport;

import io.driftwatch.dialect.ShadowDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TestPostgresSmokeTest {

    @Test
    void givesOneServerAndFreshDatabases() throws Exception {
        assertSame(TestPostgres.server(), TestPostgres.server());
        try (ShadowDatabase a = TestPostgres.newDatabase(); ShadowDatabase b = TestPostgres.newDatabase()) {
            assertNotEquals(a.name(), b.name());
            try (Connection c = a.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                try (ResultSet rs = s.executeQuery("SELECT current_database()")) {
                    rs.next();
                    assertEquals(a.name(), rs.getString(1));
                }
            }
            try (Connection c = b.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname = 't'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "a fresh database must not see another test's tables");
            }
        }
    }
}
