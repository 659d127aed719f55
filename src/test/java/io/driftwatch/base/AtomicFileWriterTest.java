package io.driftwatch.base;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileWriterTest {

    @Test
    void replacesTheFileWhenContentCompletes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "old");
        AtomicFileWriter.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void newFilesAreWorldReadableAndReplacedFilesKeepTheirPermissions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        AtomicFileWriter.write(file, out -> out.write('1'));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFileWriter.write(file, out -> out.write('2'));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("2", Files.readString(file));
    }

    @Test
    void ioFailureMidWayKeepsTheOldFileAndDeletesTheTemp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "old complete report");
        IOException e = assertThrows(IOException.class, () -> AtomicFileWriter.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("cannot write " + file + ": disk full", e.getMessage());
        assertTrue(e instanceof OutputWriteException, "exit 6 in the CLI: " + e);
        assertEquals("old complete report", Files.readString(file));
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void runtimeFailureWithoutAnOldFileLeavesNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/report.json");
        assertThrows(IllegalStateException.class, () -> AtomicFileWriter.write(file, out -> {
            out.write('{');
            throw new IllegalStateException("boom");
        }));
        assertFalse(Files.exists(file));
        assertEquals(List.of(), Files.list(dir.resolve("sub")).toList());
    }
}
