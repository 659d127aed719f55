package io.driftwatch.reconcile;

import io.driftwatch.plan.Plan;
import io.driftwatch.plan.PlanOptions;
import io.driftwatch.postgres.ddl.Planner;
import io.driftwatch.diff.Change;
import io.driftwatch.diff.SchemaDiffer;
import io.driftwatch.postgres.PostgresCatalogReader;
import io.driftwatch.model.Identifiers;
import io.driftwatch.model.SchemaModel;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 part 1, the property: for schemas whose tables, columns, indexes, constraints, views, functions, types,
 * comments, defaults and CHECK texts are drawn from a hostile alphabet (every line terminator, quotes, {@code $$},
 * {@code $tag$}, {@code ${}, block-comment ends, {@code --}, {@code ;}, backslashes, unicode and RTL marks, reserved
 * words, 63-byte names), the bridge file is verified (its bytes executed exactly the plan by Flyway and psql), and
 * the file applied twice by psql and once by Flyway (placeholder {@code x=invoices} defined, replacement on) leaves
 * {@code invoices} and its rows untouched and converges to zero differences. Seeded ({@code -Ddw.hostile.seed},
 * {@code -Ddw.hostile.cases}); each case is printed with its seed.
 */
class HostileBytesPropertyTest {

    static final String[] ALPHABET = {"\n", "\r", "\r\n", "\u000b", "\u000c", "\u0085", "\u2028", "\u2029", "'", "\"",
            "$$", "$driftwatch$", "$t$", "${x}", "${", "*/", "/*", "--", ";", "\\", "\\'", "é", "\u202e", "\u200f", "select",
            "DROP TABLE public.invoices CASCADE;--", " ", "x", "Ö", "table", "${flyway:user}"};

    private static final String SENTINEL = "CREATE TABLE public.invoices (id integer PRIMARY KEY, amount integer NOT NULL);\n"
            + "INSERT INTO public.invoices VALUES (1, 10), (2, 20);\n";

    private final PostgresCatalogReader reader = new PostgresCatalogReader();
    private final SchemaDiffer differ = new SchemaDiffer();

    /** A hostile name of at most 63 UTF-8 bytes (PostgreSQL's limit), distinct by its prefix. */
    static String name(Random r, String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        int parts = 1 + r.nextInt(5);
        for (int i = 0; i < parts; i++) {
            sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        }
        if (r.nextInt(4) == 0) {
            while (sb.toString().getBytes(StandardCharsets.UTF_8).length < 70) {
                sb.append('ö');
            }
        }
        String s = sb.toString();
        while (s.getBytes(StandardCharsets.UTF_8).length > 63) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** The same objects, with {@code variant} changing defaults, CHECK text, comments, an index and one column. */
    static String ddl(long seed, int variant) {
        Random r = new Random(seed);
        String t = "public." + Identifiers.quote(name(r, "t"));
        String c = Identifiers.quote(name(r, "c"));
        String c2 = Identifiers.quote(name(r, "d"));
        String idx = Identifiers.quote(name(r, "i"));
        String chk = Identifiers.quote(name(r, "k"));
        String view = "public." + Identifiers.quote(name(r, "v"));
        String fn = "public." + Identifiers.quote(name(r, "f"));
        String type = "public." + Identifiers.quote(name(r, "e"));
        String label = text(r);
        String[] texts = {text(r), text(r)};
        String dflt = Identifiers.literal(texts[variant]);
        String check = Identifiers.literal(texts[1 - variant]);
        StringBuilder sb = new StringBuilder(SENTINEL);
        sb.append("CREATE TYPE ").append(type).append(" AS ENUM (").append(Identifiers.literal(label)).append(");\n");
        sb.append("CREATE TABLE ").append(t).append(" (").append(c).append(" text DEFAULT ").append(dflt)
                .append(", e ").append(type).append(variant == 1 ? ", " + c2 + " integer" : "")
                .append(", CONSTRAINT ").append(chk).append(" CHECK (").append(c).append(" <> ").append(check)
                .append("));\n");
        sb.append("CREATE INDEX ").append(idx).append(" ON ").append(t).append(" (").append(c)
                .append(variant == 1 ? ", e" : "").append(");\n");
        sb.append("CREATE VIEW ").append(view).append(" AS SELECT ").append(c).append(", ").append(check)
                .append("::text AS lit FROM ").append(t).append(" WHERE ").append(c).append(" <> ").append(dflt)
                .append(";\n");
        sb.append("CREATE FUNCTION ").append(fn).append("() RETURNS text LANGUAGE sql AS ")
                .append(Identifiers.literal("SELECT " + Identifiers.literal(texts[variant]) + "::text")).append(";\n");
        sb.append("COMMENT ON TABLE ").append(t).append(" IS ").append(Identifiers.literal(texts[variant])).append(";\n");
        sb.append("COMMENT ON COLUMN ").append(t).append('.').append(c).append(" IS ")
                .append(Identifiers.literal(texts[1 - variant] + label)).append(";\n");
        return sb.toString();
    }

    @Test
    void hostileBridgesAreProvenAndConvergeUnderPsqlAndFlyway(@TempDir Path work) throws Exception {
        long seed = Long.getLong("dw.hostile.seed", 14L);
        int cases = Integer.getInteger("dw.hostile.cases", 6);
        ShadowServer server = TestPostgres.server();
        Path psql = ScriptProof.findPsql(server);
        assertTrue(psql != null, "psql is installed where the tests run");
        for (int k = 0; k < cases; k++) {
            long caseSeed = seed * 1_000 + k;
            String from = ddl(caseSeed, 0);
            String to = ddl(caseSeed, 1);
            String what = "case " + k + " (seed " + caseSeed + ")";
            try (ShadowDatabase a = TestPostgres.newDatabase(); ShadowDatabase a2 = TestPostgres.newDatabase();
                 ShadowDatabase b = TestPostgres.newDatabase()) {
                exec(a, from);
                exec(a2, from);
                exec(b, to);
                SchemaModel fromModel = read(a);
                SchemaModel toModel = read(b);
                Plan plan = new Planner().plan(fromModel, toModel, PlanOptions.defaults());
                assertFalse(plan.isEmpty(), what);
                BridgeWriter.File file = new BridgeWriter().file(plan, "Hostile " + what, "test", Instant.EPOCH,
                        BridgeWriter.Verification.VERIFIED, List.of(), new BridgeWriter.Layout(true, true));
                Verifier.Result v = new Verifier(io.driftwatch.postgres.PostgresDialect.INSTANCE).verifyFile(server, fromModel, toModel, plan, file, CloneTest.FILTER,
                        Map.of("x", "invoices"), psql);
                assertFalse(v.refused(), what + ": " + v.failure() + "\n" + file.text());
                assertTrue(v.verified(), what + ": " + v.failure() + "\n" + file.text());

                Path dir = Files.createDirectories(work.resolve("case" + k));
                Path script = dir.resolve("V1__bridge.sql");
                Files.writeString(script, file.text(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("V1__bridge.sql.conf"), BridgeWriter.flywayConf(plan), StandardCharsets.UTF_8);
                for (int run = 1; run <= 2; run++) {
                    ScriptProof.PsqlRun pr = ScriptProof.psql(psql, server, a.name(), script);
                    assertEquals(0, pr.exitCode(), what + " psql run " + run + ": " + pr.output());
                    assertConverged(a, toModel, what + " after psql run " + run);
                }
                Flyway flyway = Flyway.configure().dataSource(a2.jdbcUrl(), server.user(), server.password())
                        .locations("filesystem:" + dir).placeholders(Map.of("x", "invoices"))
                        .baselineOnMigrate(true).baselineVersion("0").table("dw_property_history").load();
                flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
                flyway.migrate();
                exec(a2, "DROP TABLE public.dw_property_history");
                assertConverged(a2, toModel, what + " after Flyway");
            }
        }
    }

    private void assertConverged(ShadowDatabase db, SchemaModel to, String what) throws Exception {
        List<Change> left = differ.diff(read(db), to);
        assertEquals(List.of(), left, what);
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(id || ':' || amount, ',' ORDER BY id) FROM public.invoices")) {
            rs.next();
            assertEquals("1:10,2:20", rs.getString(1), what);
        }
    }

    private SchemaModel read(ShadowDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return reader.read(c, CloneTest.FILTER);
        }
    }

    private static void exec(ShadowDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
