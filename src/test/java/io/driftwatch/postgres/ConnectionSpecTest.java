package io.driftwatch.postgres;

import io.driftwatch.base.PasswordMask;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionSpecTest {

    @Test
    void parsesLibpqUriWithCredentialsAndParams() {
        ConnectionSpec s = ConnectionSpec.parse("postgresql://app:s%40cret@db.internal:6543/shop?sslmode=require",
                null, null, Map.of());
        assertEquals("db.internal", s.host());
        assertEquals(6543, s.port());
        assertEquals("shop", s.database());
        assertEquals("app", s.user());
        assertEquals("s@cret", s.password());
        assertEquals("jdbc:postgresql://db.internal:6543/shop?connectTimeout=10&sslmode=require", s.jdbcUrl());
        assertEquals("postgresql://app@db.internal:6543/shop", s.display());
        assertFalse(s.toString().contains("cret"));
    }

    @Test
    void parsesJdbcUrlAndExplicitOptionsWin() {
        ConnectionSpec s = ConnectionSpec.parse("jdbc:postgresql://localhost/shop?user=u1&password=p1",
                "u2", "p2", Map.of("PGPASSWORD", "p3"));
        assertEquals("u2", s.user());
        assertEquals("p2", s.password());
        assertEquals(5432, s.port());
        assertFalse(s.jdbcUrl().contains("p1"));
        assertFalse(s.jdbcUrl().contains("p2"));
    }

    @Test
    void fillsFromPgEnvironment() {
        ConnectionSpec s = ConnectionSpec.parse(null, null, null, Map.of("PGHOST", "pg", "PGPORT", "5433",
                "PGDATABASE", "billing", "PGUSER", "auditor", "PGPASSWORD", "pw", "PGSSLMODE", "verify-full"));
        assertEquals("jdbc:postgresql://pg:5433/billing?connectTimeout=10&sslmode=verify-full", s.jdbcUrl());
        assertEquals("auditor", s.user());
        assertEquals("pw", s.password());
    }

    @Test
    void rejectsForeignUrlsWithoutEchoingPasswords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSpec.parse("mysql://root:topsecret@h/db", null, null, Map.of()));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().startsWith("not a PostgreSQL URL"));
        assertThrows(IllegalArgumentException.class,
                () -> ConnectionSpec.parse("postgresql://h:notaport/db", null, null, Map.of()));
    }

    @Test
    void masksPasswordsInAnyText() {
        assertEquals("postgresql://u:***@h/db", ConnectionSpec.maskUrl("postgresql://u:pw@h/db"));
        assertEquals("jdbc:postgresql://h/db?user=u&password=***", ConnectionSpec.maskUrl("jdbc:postgresql://h/db?user=u&password=pw"));
    }

    @Test
    void sameDatabaseTreatsLoopbackNamesAlike() {
        ConnectionSpec a = ConnectionSpec.parse("postgresql://u@localhost:5432/shop", null, null, Map.of());
        ConnectionSpec b = ConnectionSpec.parse("jdbc:postgresql://127.0.0.1:5432/shop", null, null, Map.of());
        assertTrue(a.sameDatabaseAs(b));
        assertFalse(a.sameDatabaseAs(b.withDatabase("postgres")));
    }

    @Test
    void masksPasswordsOfMalformedUrlsAndKeywordStrings() {
        assertEquals("u:***@host/db", ConnectionSpec.maskUrl("u:secret@host/db"));
        assertEquals("postgresql//u:***@h/db", ConnectionSpec.maskUrl("postgresql//u:secret@h/db"));
        assertEquals("not a URL: 'mysql://root:***@h/db' (expected ...)",
                ConnectionSpec.maskUrl("not a URL: 'mysql://root:top@secret@h/db' (expected ...)"));
        assertEquals("user=u password=*** host=h", ConnectionSpec.maskUrl("user=u password=secret host=h"));
        assertEquals("host=h PASSWORD = *** dbname=d", ConnectionSpec.maskUrl("host=h PASSWORD = 'my secret' dbname=d"));
        assertEquals("PGPASSWORD=*** psql", ConnectionSpec.maskUrl("PGPASSWORD=secret psql"));
        // what must stay as it is: displays, ports, IPv6 hosts, driver messages
        for (String kept : new String[] {"postgresql://auditor@127.0.0.1:1/shop",
                "jdbc:postgresql://[::1]:5432/db?sslmode=require", "postgresql://u@[::1]:5432/db",
                "FATAL: password authentication failed for user \"app\"", "host:5432/db?user=a@b",
                "expected migrations:DIR[@VERSION] or snapshot:FILE", "source 'migrations:db/sql@16'",
                "migrations:x:y@2"}) {
            assertEquals(kept, ConnectionSpec.maskUrl(kept));
        }
        String once = ConnectionSpec.maskUrl("postgresql://u:secret@h/db?password=x");
        assertEquals("postgresql://u:***@h/db?password=***", once);
        assertEquals(once, ConnectionSpec.maskUrl(once), "idempotent");
    }

    @Test
    void secretsOfOneArgumentIncludeDecodedForms() {
        assertEquals(java.util.List.of("s%65cret", "secret"), PasswordMask.secretsIn("postgresql://u:s%65cret@h/db"));
        assertEquals(java.util.List.of("my secret"), PasswordMask.secretsIn("host=h password='my secret'"));
        assertEquals("a *** b", PasswordMask.maskLiterals("a my secret b", java.util.List.of("my secret", "pw")));
    }

    @Test
    void badPercentEscapesNameCharacterAndPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSpec.parse("postgresql://u:pa%4@h/db", null, null, Map.of()));
        assertEquals("bad %-escape at character 18 (in the password) of 'postgresql://u:***@h/db': % must be"
                + " followed by two hex digits (write %25 for a literal %)", e.getMessage());
        assertEquals("p+w@d", ConnectionSpec.parse("postgresql://u:p+w%40d@h/db", null, null, Map.of()).password());
        assertEquals("café", ConnectionSpec.parse("postgresql://u@h/caf%C3%A9", null, null, Map.of()).database());
    }
}
