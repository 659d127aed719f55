package io.driftwatch.alembic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding a Python with Alembic: real interpreters, and fake ones that fail in each way. */
class PythonLocatorTest {

    private static Map<String, String> envWithPath(Path dir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", dir.toString());
        return env;
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void anExplicitBadPathGivesTheClearMessage() {
        PythonLocator.Result r = new PythonLocator(System.getenv(), Duration.ofSeconds(10)).locate("/nonexistent/python3");
        assertTrue(r.interpreter().isEmpty());
        assertEquals("no Python with Alembic found: tried /nonexistent/python3 (not found); "
                + "install python3-alembic or pass --python", r.failureMessage());
        AlembicException e = assertThrows(AlembicException.class, r::require);
        assertEquals("python", e.kind());
        assertEquals(r.failureMessage(), e.getMessage());
    }

    @Test
    void anExplicitPathIsTheOnlyCandidate(@TempDir Path tmp) throws Exception {
        // a python3 without Alembic named explicitly: Debian's is not tried behind the user's back
        Path fake = script(tmp, "python3", "echo \"ModuleNotFoundError: No module named 'alembic'\" >&2; exit 1");
        PythonLocator.Result r = new PythonLocator(System.getenv(), Duration.ofSeconds(10)).locate(fake.toString());
        assertEquals(1, r.probes().size());
        assertEquals("no Python with Alembic found: tried " + fake + " (exit code 1: ModuleNotFoundError: No module "
                + "named 'alembic'); install python3-alembic or pass --python", r.failureMessage());
    }

    @Test
    void theDebianPythonIsFoundBehindAPythonWithoutAlembic(@TempDir Path tmp) throws Exception {
        // like pyenv's python3 on PATH without Alembic (this machine's case): the probe's own JSON error
        script(tmp, "python3", "echo '{\"error\": \"ModuleNotFoundError: No module named '\"'\"'alembic'\"'\"'\"}'; exit 3");
        PythonLocator.Result r = new PythonLocator(envWithPath(tmp), Duration.ofSeconds(20)).locate(null);
        assertTrue(r.interpreter().isPresent(), String.valueOf(r.failureMessage()));
        PythonInterpreter p = r.interpreter().get();
        assertEquals(PythonLocator.DEBIAN_PYTHON, p.executable());
        assertTrue(p.alembicVersion().matches("\\d+\\.\\d+.*"), p.alembicVersion());
        assertTrue(p.sqlalchemyVersion().matches("\\d+\\.\\d+.*"), p.sqlalchemyVersion());
        assertTrue(p.psycopg2Version().matches("\\d+\\.\\d+.*"), String.valueOf(p.psycopg2Version()));
        assertEquals(2, r.probes().size());
        assertEquals("ModuleNotFoundError: No module named 'alembic'", r.probes().get(0).detail());
        assertNull(r.failureMessage());
    }

    @Test
    void defaultsFindAPythonWithAlembic() {
        PythonLocator.Result r = new PythonLocator(System.getenv(), Duration.ofSeconds(20)).locate(null);
        assertTrue(r.interpreter().isPresent(), String.valueOf(r.failureMessage()));
        assertEquals(r.interpreter().get(), r.probes().get(r.probes().size() - 1).interpreter());
    }

    @Test
    void aHangingInterpreterTimesOutAndNothingIsOnPath(@TempDir Path tmp) throws Exception {
        Path slow = script(tmp, "python3", "sleep 30");
        PythonLocator.Result r = new PythonLocator(System.getenv(), Duration.ofMillis(700)).locate(slow.toString());
        assertEquals(List.of("timed out after 0.7 s"), r.probes().stream().map(PythonLocator.Probe::detail).toList());

        Map<String, String> env = envWithPath(tmp.resolve("empty"));
        PythonLocator.Result none = new PythonLocator(env, Duration.ofSeconds(10)).locate("python3.99");
        assertEquals("no Python with Alembic found: tried python3.99 (not on PATH); install python3-alembic or pass --python",
                none.failureMessage());
    }
}
