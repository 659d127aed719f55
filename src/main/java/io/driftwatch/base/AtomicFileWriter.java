package io.driftwatch.base;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers only ever see the old complete file or the new complete file:
 * the content goes to a temporary file in the same directory, which is then moved over the target
 * (atomically where the file system allows it).
 *
 * <p>If producing the content fails, the target is left untouched and the temporary file is
 * deleted, so a crashed report run never leaves a half-written report that looks clean.
 */
public final class AtomicFileWriter {

    /** Produces the file content. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out stream to write the complete content to; do not close it
         * @throws IOException when writing fails (the target file is then not replaced)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    /**
     * Writes {@code file} atomically. The new file gets the permissions of the file it replaces,
     * or {@code rw-r--r--} when there was none (temp files are created {@code rw-------}).
     * Missing parent directories are created.
     *
     * @param file    target path (relative paths resolve against the working directory)
     * @param content writes the bytes of the new file
     * @throws OutputWriteException when the temp file cannot be created, written or moved (also when
     *                     {@code content} throws an {@link IOException}): {@code cannot write <file>: <reason>};
     *                     the previous {@code file} (if any) is then unchanged and no temp file remains
     * @throws RuntimeException rethrown from {@code content}, with the same guarantees
     */
    public static void write(Path file, Content content) throws OutputWriteException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw OutputWriteException.of(file, e);
        }
        boolean moved = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            readableLike(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw OutputWriteException.of(file, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    private static void readableLike(Path target, Path tmp) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }
}
