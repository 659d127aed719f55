package io.driftwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad command-line input through the real CLI: passwords in malformed connection strings, bad
 * %-escapes, picocli parse errors, flags that exclude each other. Each case is one line naming the
 * problem (plus a {@code see '... --help'} line for parse errors), exit 2, and never a password.
 */
class BadInputCommandTest {

    @TempDir
    static Path migrations;

    static void writeMigration() throws Exception {
        if (!Files.exists(migrations.resolve("V1__t.sql"))) {
            Files.writeString(migrations.resolve("V1__t.sql"), "CREATE TABLE t (id int);\n");
        }
    }

    /** Connection inputs that hold the password "secret" in some shape, well-formed or not. */
    static Stream<String> secretInputs() {
        return Stream.of(
                "u:secret@host/db",                              // no scheme at all
                "postgresql//u:secret@127.0.0.1:1/db",           // scheme without the colon
                "postgresql:/u:secret@127.0.0.1:1/db",           // one slash
                "mysql://root:secret@127.0.0.1/db",              // another database
                "jdbc:postgresql://127.0.0.1:1/db?password=secret&user=u",
                "user=u password=secret host=127.0.0.1 dbname=db", // a libpq keyword string
                "host=127.0.0.1 password='my secret' dbname=db",   // quoted keyword value
                "postgresql://u:s%65cret@127.0.0.1:1/db",        // %-escaped password, server down
                "postgresql://u:secret%zz@127.0.0.1:1/db",       // bad escape inside the password
                "postgresql://u:secret@127.0.0.1:notaport/db");
    }

    static void assertNoSecret(CliRun r) {
        assertFalse(r.all().contains("secret"), "password leaked: " + r.all());
        assertFalse(r.all().contains("s%65cret"), "password leaked: " + r.all());
        assertFalse(r.all().contains("\tat "), "no stack trace: " + r.all());
    }

    @ParameterizedTest
    @MethodSource("secretInputs")
    void auditNeverPrintsThePasswordOfAUrl(String url) throws Exception {
        writeMigration();
        CliRun r = CliRun.of("audit", "--url", url, "--migrations", migrations.toString(),
                "--out", migrations.resolve("out").toString());
        assertTrue(r.exitCode() == 2 || r.exitCode() == 3, r.all());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("driftwatch: "), r.err());
        assertNoSecret(r);
    }

    @ParameterizedTest
    @MethodSource("secretInputs")
    void shadowUrlAndSourcesNeverPrintThePassword(String url) throws Exception {
        writeMigration();
        CliRun shadow = CliRun.of("audit", "--url", "postgresql://u@127.0.0.1:1/db", "--shadow-url", url,
                "--migrations", migrations.toString());
        assertTrue(shadow.exitCode() == 2 || shadow.exitCode() == 3, shadow.all());
        assertNoSecret(shadow);
        CliRun inspect = CliRun.of("inspect", url);
        assertTrue(inspect.exitCode() == 2 || inspect.exitCode() == 3, inspect.all());
        assertNoSecret(inspect);
        CliRun diff = CliRun.of("diff", "--from", url, "--to", "migrations:" + migrations);
        assertTrue(diff.exitCode() == 2 || diff.exitCode() == 3, diff.all());
        assertNoSecret(diff);
    }

    @Test
    void passwordsInMistypedOptionsAndFlagValuesAreMasked() {
        CliRun typo = CliRun.of("audit", "--urll=postgresql://u:secret@h/db");
        assertEquals(2, typo.exitCode(), typo.all());
        assertEquals("driftwatch: Unknown option: '--urll=postgresql://u:***@h/db' (did you mean --url?)",
                typo.err().lines().findFirst().orElse(""));
        assertNoSecret(typo);
        // the --password value echoed by a parse error elsewhere on the line
        CliRun echoed = CliRun.of("inspect", "postgresql://u@127.0.0.1:1/db", "--password", "secret", "--out");
        assertEquals(2, echoed.exitCode(), echoed.all());
        assertNoSecret(echoed);
    }

    @Test
    void badPercentEscapeNamesThePositionAndPartNotTheText() throws Exception {
        writeMigration();
        CliRun r = CliRun.of("audit", "--url", "postgresql://u:se%ZZcret@127.0.0.1/db", "--migrations",
                migrations.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertEquals("driftwatch: --url: bad %-escape at character 18 (in the password) of"
                + " 'postgresql://u:***@127.0.0.1/db': % must be followed by two hex digits (write %25 for a"
                + " literal %)", r.err().strip());
        CliRun db = CliRun.of("inspect", "postgresql://u@127.0.0.1/sh%op");
        assertEquals(2, db.exitCode(), db.all());
        assertEquals("driftwatch: SOURCE: bad %-escape at character 28 (in the database name) of"
                + " 'postgresql://u@127.0.0.1/sh%op': % must be followed by two hex digits (write %25 for a"
                + " literal %)", db.err().strip());
        CliRun shadow = CliRun.of("audit", "--url", "postgresql://u@127.0.0.1/db", "--shadow-url",
                "postgresql://u@127.0.0.1/db?sslmode=%", "--migrations", migrations.toString());
        assertEquals(2, shadow.exitCode(), shadow.all());
        assertTrue(shadow.err().startsWith("driftwatch: --shadow-url: bad %-escape at character 37"
                + " (in the value of parameter sslmode)"), shadow.err());
    }

    /** (command line, option the message must name) for unknown options and missing values. */
    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of(List.of("audit", "--bogus"), "--bogus"),
                Arguments.of(List.of("audit", "--migrations", "db", "--url"), "--url"),
                Arguments.of(List.of("gate", "--wiat", "2m"), "--wiat"),
                Arguments.of(List.of("gate", "--url", "postgresql://u@h/db", "--migrations"), "--migrations"),
                Arguments.of(List.of("bridge", "--bogus"), "--bogus"),
                Arguments.of(List.of("stamp", "--out"), "--out"),
                Arguments.of(List.of("inspect", "postgresql://u@h/db", "--out"), "--out"),
                Arguments.of(List.of("inspect", "--bogus", "postgresql://u@h/db"), "--bogus"),
                Arguments.of(List.of("diff", "--from"), "--from"),
                Arguments.of(List.of("diff", "--form", "a.json", "--to", "b.json"), "--from"), // required first
                Arguments.of(List.of("diff", "--from", "a.json", "--to", "b.json", "--formt", "json"), "--formt"),
                Arguments.of(List.of("demo", "--scenario"), "--scenario"),
                Arguments.of(List.of("--bogus"), "--bogus"));
    }

    @ParameterizedTest
    @MethodSource("parseErrors")
    void parseErrorsAreOneLinePlusWhereToLook(List<String> args, String option) {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.all());
        assertEquals("", r.out(), "no usage on stdout");
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), "exactly two lines: " + r.err());
        assertTrue(lines.get(0).startsWith("driftwatch: ") && lines.get(0).contains(option), lines.get(0));
        String command = args.get(0).startsWith("-") ? "driftwatch" : "driftwatch " + args.get(0);
        assertEquals("see '" + command + " --help'", lines.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audit", "inspect", "diff", "gate"})
    void quietAndVerboseTogetherAreRefused(String command) {
        List<String> args = new ArrayList<>(List.of(command, "-q", "--verbose"));
        if (command.equals("inspect")) {
            args.add("postgresql://u@127.0.0.1:1/db");
        } else if (command.equals("diff")) {
            args.addAll(List.of("--from", "a.json", "--to", "b.json"));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(List.of("driftwatch: use either -q/--quiet or -v/--verbose, not both",
                "see 'driftwatch " + command + " --help'"), r.err().lines().toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "embedded", "docker"})
    void shadowUrlWithAKindThatIgnoresItIsRefused(String kind) throws Exception {
        writeMigration();
        CliRun r = CliRun.of("audit", "--url", "postgresql://u@127.0.0.1:1/db", "--migrations", migrations.toString(),
                "--shadow", kind, "--shadow-url", "postgresql://u:secret@127.0.0.1:1/postgres");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals("driftwatch: --shadow " + kind + " starts its own server and would ignore --shadow-url;"
                + " drop --shadow-url, or pass --shadow url (or auto) to use that server", r.err().strip());
        CliRun inspect = CliRun.of("inspect", "migrations:" + migrations, "--shadow", kind,
                "--shadow-url", "postgresql://u@127.0.0.1:1/postgres");
        assertEquals(2, inspect.exitCode(), inspect.all());
        assertTrue(inspect.err().contains("would ignore --shadow-url"), inspect.err());
    }
}
