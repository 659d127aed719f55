package io.driftwatch.cli;

import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 part 1 for stamps: a script whose name (so its Flyway description) holds line breaks, quotes, a backslash and
 * {@code ${x}} gets a stamp whose comments stay comments, whose literals hold no placeholder, whose console lines
 * are one line each, and which psql applies leaving {@code invoices} and its rows untouched.
 */
class StampBytesCommandTest {

    /**
     * A file name holds no slash (so no block comment) and, for Flyway's replay, no dot before the suffix and no
     * CR or LF (Flyway lists such a script but does not apply it); U+2028 stands for the line terminators here.
     */
    static final String HOSTILE = "p;--\u2028DROP TABLE invoices CASCADE;-- ${x} 'q'";

    @Test
    void hostileScriptNameGivesASafeStamp(@TempDir Path work) throws Exception {
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__invoices.sql"),
                "CREATE TABLE public.invoices (id integer PRIMARY KEY, amount integer NOT NULL);\n");
        String v2 = "CREATE TABLE public.hand (a integer);\n";
        Files.writeString(migrations.resolve("V2__" + HOSTILE.replace(' ', '_') + ".sql"), v2);
        ShadowServer s = TestPostgres.server();
        try (ShadowDatabase db = TestPostgres.newDatabase()) {
            Flyway.configure().dataSource(s.jdbcUrl(db.name()), s.user(), s.password())
                    .locations("filesystem:" + migrations).placeholders(Map.of("x", "invoices")).target("1").load()
                    .migrate();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO public.invoices VALUES (1, 10), (2, 20)");
                st.execute(v2); // applied by hand
            }
            Path out = work.resolve("stamp.sql");
            CliRun r = CliRun.of("stamp", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password", s.password(),
                    "--migrations", migrations.toString(), "--placeholder", "x=invoices", "--shadow", "url",
                    "--shadow-url", AuditCommandTest.shadowUrl(), "--out", out.toString());
            assertEquals(0, r.exitCode(), r.all());
            for (String line : r.all().split("[\n\r\u000b\u000c\u0085\u2028\u2029]", -1)) {
                assertFalse(line.startsWith("DROP TABLE") || line.startsWith(" ${x}") || line.startsWith("end"), "a name forged a line: " + r.all());
            }
            assertTrue(r.out().contains("record V2 p;--\\u2028DROP TABLE invoices CASCADE;-- ${x} 'q' as applied"),
                    r.out());
            String sql = Files.readString(out, StandardCharsets.UTF_8);
            assertFalse(sql.contains("${"), "no placeholder for Flyway to replace: " + sql);
            assertTrue(sql.contains("\n-- record V2 p;--\\u2028DROP TABLE invoices CASCADE;-- $\\{x} 'q' as applied"),
                    sql);

            BridgeCommandTest.psql(db, out);
            assertEquals(List.of("1:10,2:20"), rows(db, "SELECT string_agg(id || ':' || amount, ',' ORDER BY id)"
                    + " FROM public.invoices"));
            assertEquals(List.of(HOSTILE), rows(db, "SELECT description FROM public.flyway_schema_history"
                    + " WHERE version = '2'"), "the row Flyway would have written");
            CliRun audit = CliRun.of("audit", "--url", s.jdbcUrl(db.name()), "--user", s.user(), "--password",
                    s.password(), "--migrations", migrations.toString(), "--placeholder", "x=invoices",
                    "--out", work.resolve("report").toString(), "--format", "json");
            assertEquals(0, audit.exitCode(), audit.all());
            assertTrue(audit.out().startsWith("0 findings"), audit.out());
        }
    }

    private static List<String> rows(ShadowDatabase db, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
