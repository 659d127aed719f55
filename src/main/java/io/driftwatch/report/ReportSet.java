package io.driftwatch.report;

import io.driftwatch.base.OutputWriteException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the reports of one run into a folder as a set: all of them or none, never some files of one
 * run beside files of another.
 *
 * <ol>
 *   <li>every file is written into a temporary folder inside the target folder ({@code .driftwatch-reports-*},
 *       so on the same file system);</li>
 *   <li>under an exclusive lock on {@code <folder>/.driftwatch.lock} ({@link FileChannel#lock()}: other
 *       processes wait; other threads of this JVM retry), each file is renamed into place (atomically where
 *       the file system allows) and the files of {@code owned} this run did not write are deleted;</li>
 *   <li>on any failure the temporary folder is deleted and so is every file of {@code owned} in the folder,
 *       so no earlier report is left that could be mistaken for this run's.</li>
 * </ol>
 * Two runs finishing at once therefore leave the whole set of whichever swapped last. A reader that
 * does not take the lock may see the files change one by one during the swap (a few renames). The lock
 * file stays in the folder (removing it would let a third run lock a file the second one no longer sees).
 */
public final class ReportSet {

    /** Name of the lock file in the report folder. */
    public static final String LOCK_FILE = ".driftwatch.lock";
    private static final String TEMP_PREFIX = ".driftwatch-reports-";
    private static final long LOCK_WAIT_MILLIS = 120_000;

    /** Writes one file of the set. */
    @FunctionalInterface
    public interface FileContent {
        /**
         * @param file where to write the file (in the temporary folder), e.g. with a reporter's
         *             {@code write(result, file)}
         * @throws IOException when it cannot be written
         */
        void writeTo(Path file) throws IOException;
    }

    /**
     * One file of the set.
     *
     * @param name    file name inside the folder, e.g. {@code report.json}
     * @param content writes the file
     */
    public record Entry(String name, FileContent content) {
    }

    private ReportSet() {
    }

    /**
     * @param folder  the report folder (created when missing)
     * @param entries the files of this run, in the order to write them
     * @param owned   every file name a run may write there (the entries' names among them); those this run
     *                does not write are removed, so the folder holds exactly this run's set
     * @return the paths written, in the order of {@code entries}
     * @throws OutputWriteException when a file cannot be written or moved (see the class comment for what is
     *         left: no file of {@code owned})
     */
    public static List<Path> write(Path folder, List<Entry> entries, Collection<String> owned)
            throws OutputWriteException {
        Path dir = folder.toAbsolutePath();
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempDirectory(dir, TEMP_PREFIX);
        } catch (IOException e) {
            clearQuietly(dir, owned);
            throw OutputWriteException.of(folder, e);
        }
        try {
            for (Entry e : entries) {
                e.content().writeTo(temp.resolve(e.name()));
            }
            List<Path> written = new ArrayList<>();
            try (Locked ignored = lock(dir)) {
                for (Entry e : entries) {
                    Path target = dir.resolve(e.name());
                    move(temp.resolve(e.name()), target);
                    written.add(folder.resolve(e.name()));
                }
                for (String name : owned) {
                    if (entries.stream().noneMatch(e -> e.name().equals(name))) {
                        Files.deleteIfExists(dir.resolve(name));
                    }
                }
            }
            return written;
        } catch (IOException | RuntimeException e) {
            clearQuietly(dir, owned);
            if (e instanceof IOException io) {
                throw OutputWriteException.of(folder, io);
            }
            throw (RuntimeException) e;
        } finally {
            deleteTree(temp);
        }
    }

    /**
     * Deletes the files of {@code owned} from {@code folder} under the folder's lock (a run about to start
     * removes the previous run's reports, so a failed run leaves none).
     *
     * @param folder the report folder; nothing happens when it does not exist
     * @param owned  file names to delete
     * @throws OutputWriteException when a file cannot be deleted
     */
    public static void clear(Path folder, Collection<String> owned) throws OutputWriteException {
        Path dir = folder.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Locked ignored = lock(dir)) {
            for (String name : owned) {
                Files.deleteIfExists(dir.resolve(name));
            }
        } catch (IOException e) {
            throw OutputWriteException.of(folder, e);
        }
    }

    private static void clearQuietly(Path dir, Collection<String> owned) {
        try {
            clear(dir, owned);
        } catch (IOException | RuntimeException ignored) {
            // the failure being reported is the one that matters; a folder we cannot touch holds nothing new
            for (String name : owned) {
                try {
                    Files.deleteIfExists(dir.resolve(name));
                } catch (IOException | RuntimeException alsoIgnored) {
                    // nothing more to try
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An exclusive lock on the folder's lock file; closing releases it. */
    private record Locked(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static Locked lock(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        try {
            while (true) {
                try {
                    return new Locked(ch, ch.lock());
                } catch (OverlappingFileLockException e) {
                    // another thread of this JVM holds it: file locks are per process
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("the report folder stayed locked by another run for "
                                + LOCK_WAIT_MILLIS / 1000 + " s (" + dir.resolve(LOCK_FILE) + ")");
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for " + dir.resolve(LOCK_FILE), ie);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
