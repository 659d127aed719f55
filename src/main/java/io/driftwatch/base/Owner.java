package io.driftwatch.base;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process that made a throwaway resource (a local shadow cluster's folder, a replay's temporary
 * folder, a shadow database on a {@code --shadow-url} server), written into the resource's name so a
 * later run can tell that its owner died without cleaning up (SIGKILL, a power cut) and remove it.
 *
 * <p>The tag is {@code o<host>_<pid>_<start>}: {@code host} the first 8 hex digits of SHA-256 over the
 * host name and {@code /etc/machine-id}, {@code pid} the process id in decimal, {@code start} the process's
 * start time in epoch seconds, base 36 ({@code 0} when unknown). Only {@code [a-z0-9_]}, so it fits a
 * PostgreSQL identifier and a file name. An owner is dead when it ran on this host and no process with its
 * pid exists, or one does but started at another time (the pid was reused).
 *
 * @param host         8 hex digits identifying the host
 * @param pid          process id
 * @param startSeconds process start, epoch seconds; 0 when unknown
 */
public record Owner(String host, long pid, long startSeconds) {

    private static final Pattern TAG = Pattern.compile("o([0-9a-f]{8})_([0-9]{1,10})_([0-9a-z]{1,13})");

    /** @return this process, on this host */
    public static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(thisHost(), self.pid(), startOf(self));
    }

    /** @return {@code o<host>_<pid>_<start>}, see the class comment */
    public String tag() {
        return "o" + host + "_" + pid + "_" + Long.toString(startSeconds, 36);
    }

    /**
     * @param name   a resource name
     * @param prefix the prefix the resource's maker put before the tag (e.g. {@code driftwatch-replay-},
     *               {@code dw_shadow_})
     * @return the owner written into {@code name} right after {@code prefix} (and before {@code _} and a
     *         random part), or empty for a name without a tag (made by an older version, or not ours)
     */
    public static Optional<Owner> fromName(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher m = TAG.matcher(name.substring(prefix.length()));
        if (!m.lookingAt() || (m.end() < name.length() - prefix.length()
                && name.charAt(prefix.length() + m.end()) != '_')) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Owner(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3), 36)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return true when this owner ran on this host and its process is gone (see the class comment) */
    public boolean deadHere() {
        if (!host.equals(thisHost())) {
            return false; // another machine's runs are not ours to judge
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        long start = startOf(p.get());
        return startSeconds != 0 && start != 0 && start != startSeconds;
    }

    /**
     * Deletes the folders in the temporary directory ({@code java.io.tmpdir}) named {@code prefix + tag + ...}
     * whose owner is dead on this host; folders without a tag or of live owners are left alone. Best effort.
     *
     * @param prefix e.g. {@code driftwatch-replay-}
     * @param note   receives one line when something was removed:
     *               {@code removed 2 temporary folders left by runs that died on this host (driftwatch-replay-…)}
     * @return the names removed
     */
    public static List<String> sweepTempFolders(String prefix, Consumer<String> note) {
        return sweepFolders(Path.of(System.getProperty("java.io.tmpdir")), prefix, note);
    }

    /** As {@link #sweepTempFolders} in a given folder (tests). */
    public static List<String> sweepFolders(Path parent, String prefix, Consumer<String> note) {
        List<String> removed = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (Files.isDirectory(dir) && fromName(name, prefix).map(Owner::deadHere).orElse(false)) {
                    FileTrees.delete(dir);
                    if (!Files.exists(dir)) {
                        removed.add(name);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: a folder left for the next run is harmless
        }
        if (!removed.isEmpty()) {
            note.accept("removed " + removed.size() + " temporary folder" + (removed.size() == 1 ? "" : "s")
                    + " left by runs that died on this host (" + String.join(", ", removed) + ")");
        }
        return removed;
    }

    private static long startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }

    private static String thisHost() {
        String name = firstLine(Path.of("/proc/sys/kernel/hostname"));
        if (name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                name = "unknown";
            }
        }
        String id = name + "|" + firstLine(Path.of("/etc/machine-id"));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
