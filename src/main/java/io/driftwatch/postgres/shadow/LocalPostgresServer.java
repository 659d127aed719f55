package io.driftwatch.postgres.shadow;

import io.driftwatch.base.Owner;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.dialect.NetworkTimeouts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A throwaway PostgreSQL cluster started from installed binaries: {@code initdb} into a temp
 * directory, {@code pg_ctl start} on a free TCP port of 127.0.0.1 with the Unix socket in the temp
 * directory, superuser {@code postgres} with a random password and {@code scram-sha-256} auth, and
 * durability switched off for speed. When the JVM runs as root the binaries run as the
 * {@code postgres} OS user. {@link #close()} (and a JVM shutdown hook) stops it with
 * {@code pg_ctl stop -m immediate} and deletes the directory.
 */
final class LocalPostgresServer implements ShadowServer {

    private static final String SUPERUSER = "postgres";
    private static final String OS_USER = "postgres";
    private static final int START_TIMEOUT_SECONDS = 60;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DIR_PREFIX = "driftwatch-pg-";
    private static final String OWNER_FILE = "owner";

    private final LocalBinaries binaries;
    private final Path baseDir;
    private final Path dataDir;
    private final boolean asOsUser;
    private final int port;
    private final String password;
    private final Thread shutdownHook;
    private final NetworkTimeouts timeouts;
    private ServerJdbc.Version version;
    private boolean closed;

    private LocalPostgresServer(LocalBinaries binaries, Path baseDir, boolean asOsUser, int port, String password,
                                NetworkTimeouts timeouts) {
        this.timeouts = timeouts;
        this.binaries = binaries;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.asOsUser = asOsUser;
        this.port = port;
        this.password = password;
        this.shutdownHook = new Thread(this::stopAndDelete, "driftwatch-shadow-stop-" + port);
    }

    /**
     * Initialises and starts a cluster from {@code binaries}.
     *
     * @param binaries installed binaries to use
     * @param timeouts driver timeouts of every connection to it
     * @return the running server
     * @throws ShadowUnavailableException one line starting {@code local:}, with the last lines of
     *         the initdb or server log when a step failed
     */
    static LocalPostgresServer start(LocalBinaries binaries, NetworkTimeouts timeouts) throws ShadowUnavailableException {
        return start(binaries, 0, randomPassword(), timeouts);
    }

    /**
     * Like {@link #start(LocalBinaries)}, on a given port and with a given superuser password (tests
     * that need a server to appear late on a port a client already polls).
     *
     * @param binaries installed binaries to use
     * @param fixedPort TCP port on 127.0.0.1, or 0 for a free one
     * @param password  password of the superuser {@code postgres}
     * @param timeouts  driver timeouts of every connection to it
     * @return the running server
     * @throws ShadowUnavailableException as {@link #start(LocalBinaries, NetworkTimeouts)}; a taken fixed port is not retried
     */
    static LocalPostgresServer start(LocalBinaries binaries, int fixedPort, String password, NetworkTimeouts timeouts)
            throws ShadowUnavailableException {
        boolean root = runningAsRoot();
        reapOrphans(root);
        Path base;
        try {
            // the name's owner tag (host, pid, start) lets a later run stop this server if this JVM dies
            // without running its shutdown hook; the owner file says where pg_ctl is
            base = Files.createTempDirectory(DIR_PREFIX + Owner.current().tag() + "_");
            Files.writeString(base.resolve(OWNER_FILE), Owner.current().tag() + "\n" + binaries.binDir() + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShadowUnavailableException("local: cannot create a temp directory: " + e.getMessage(), e);
        }
        LocalPostgresServer server = null;
        try {
            if (root) {
                chownToOsUser(base);
            }
            Path pwfile = base.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            if (root) {
                chownToOsUser(pwfile);
            }
            Path initLog = base.resolve("initdb.log");
            int rc = run(root, base, initLog, binaries.tool("initdb").toString(),
                    "-D", base.resolve("data").toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync");
            Files.deleteIfExists(pwfile);
            if (rc != 0) {
                throw new ShadowUnavailableException("local: initdb (" + binaries.binDir() + ") failed with exit code "
                        + rc + ": " + tail(initLog));
            }
            Files.writeString(base.resolve("data").resolve("postgresql.conf"), "\n# driftwatch shadow\n"
                            + "listen_addresses = '127.0.0.1'\n"
                            + "unix_socket_directories = '" + base.toString().replace("'", "''") + "'\n"
                            + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                            + "max_connections = 100\nshared_buffers = 32MB\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            int attempt = 0;
            while (true) {
                attempt++;
                int port = fixedPort > 0 ? fixedPort : freePort();
                server = new LocalPostgresServer(binaries, base, root, port, password, timeouts);
                Runtime.getRuntime().addShutdownHook(server.shutdownHook);
                Path ctlLog = base.resolve("pg_ctl.log");
                rc = run(root, base, ctlLog, binaries.tool("pg_ctl").toString(), "-D", server.dataDir.toString(),
                        "-l", base.resolve("server.log").toString(), "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS),
                        "-o", "-p " + port, "start");
                if (rc == 0) {
                    break;
                }
                String log = tail(base.resolve("server.log"));
                server.removeHook();
                server.stopQuietly();
                server = null;
                if (attempt < 3 && fixedPort == 0 && log.contains("could not bind")) {
                    continue; // someone took the port between probe and bind
                }
                throw new ShadowUnavailableException("local: PostgreSQL " + binaries.version() + " from "
                        + binaries.binDir() + " did not start (pg_ctl exit " + rc + "): "
                        + (log.isEmpty() ? tail(ctlLog) : log));
            }
            try (Connection c = server.connect("postgres")) {
                server.version = ServerJdbc.version(c);
            }
            return server;
        } catch (IOException | SQLException e) {
            if (server != null) {
                server.close();
            } else {
                deleteTree(base);
            }
            throw new ShadowUnavailableException("local: PostgreSQL " + binaries.version() + " from "
                    + binaries.binDir() + " failed: " + e.getMessage(), e);
        } catch (ShadowUnavailableException | RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                deleteTree(base);
            }
            throw e;
        }
    }

    @Override
    public String description() {
        return "local PostgreSQL " + (version == null ? binaries.version() : version.text()) + " from "
                + binaries.binDir() + ", port " + port;
    }

    @Override
    public String provider() {
        return "local";
    }

    @Override
    public int majorVersion() {
        return version == null ? binaries.major() : version.major();
    }

    @Override
    public java.nio.file.Path binDir() {
        return binaries.binDir();
    }

    @Override
    public String jdbcUrl(String database) {
        return ServerJdbc.url("127.0.0.1", port, database);
    }

    @Override
    public String user() {
        return SUPERUSER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return ServerJdbc.connect(jdbcUrl(database), SUPERUSER, password, timeouts);
    }

    @Override
    public ShadowDatabase createDatabase(String prefix) throws SQLException {
        return ShadowDatabase.create(this, prefix);
    }

    /** Stops the server ({@code pg_ctl stop -m immediate}) and deletes its directory. Idempotent. */
    @Override
    public void close() {
        removeHook();
        stopAndDelete();
    }

    /** @return TCP port on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return the temp directory holding the data directory, socket and logs */
    Path baseDirectory() {
        return baseDir;
    }

    private synchronized void stopAndDelete() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly();
        deleteTree(baseDir);
    }

    private void stopQuietly() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        long pid = -1;
        try {
            if (Files.exists(pidFile)) {
                pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            }
        } catch (IOException | RuntimeException ignored) {
            // no pid: nothing running or already gone
        }
        if (pid < 0) {
            return;
        }
        int rc = -1;
        try {
            rc = run(asOsUser, baseDir, baseDir.resolve("pg_ctl-stop.log"), binaries.tool("pg_ctl").toString(),
                    "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "10", "stop");
        } catch (IOException ignored) {
            // fall through to kill
        }
        if (rc == 0 || !Files.exists(pidFile)) {
            // stopped; the exited postmaster may linger as a zombie until init reaps it
            return;
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        });
    }

    /**
     * Stops and deletes clusters left in the temp directory by JVMs that died without running their
     * shutdown hooks (SIGKILL): the {@link Owner} tag on the first line of their {@code owner} file (also
     * in the folder's name) names a process of this host that no longer exists (for folders of older
     * versions: the file's pid does).
     * Best effort; errors are ignored.
     */
    static void reapOrphans(boolean root) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                List<String> lines;
                try {
                    lines = Files.readAllLines(owner, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // being created right now, or not ours
                }
                java.util.Optional<Owner> tagged = lines.isEmpty() ? java.util.Optional.empty()
                        : Owner.fromName(lines.get(0), "");
                boolean dead = tagged.isPresent() ? tagged.get().deadHere()
                        // written by an older version: the owner file's pid alone
                        : lines.size() >= 2 && lines.get(0).matches("\\d+")
                        && !ProcessHandle.of(Long.parseLong(lines.get(0))).map(ProcessHandle::isAlive).orElse(false);
                if (lines.size() < 2 || !dead) {
                    continue;
                }
                Path data = dir.resolve("data");
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    try {
                        run(root, dir, dir.resolve("pg_ctl-stop.log"), Path.of(lines.get(1), "pg_ctl").toString(),
                                "-D", data.toString(), "-m", "immediate", "-w", "-t", "10", "stop");
                    } catch (IOException ignored) {
                        continue; // leave it for a later attempt
                    }
                }
                deleteTree(dir);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down: the hook runs anyway
        }
    }

    private static int run(boolean asOsUser, Path workDir, Path output, String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asOsUser) {
            Path runuser = Files.isExecutable(Path.of("/usr/sbin/runuser")) ? Path.of("/usr/sbin/runuser")
                    : Files.isExecutable(Path.of("/sbin/runuser")) ? Path.of("/sbin/runuser") : null;
            if (runuser != null) {
                cmd.add(runuser.toString());
                cmd.add("-u");
                cmd.add(OS_USER);
                cmd.add("--");
                cmd.addAll(List.of(command));
            } else {
                cmd.addAll(List.of("su", "-s", "/bin/sh", OS_USER, "-c",
                        List.of(command).stream().map(LocalPostgresServer::shellQuote).collect(Collectors.joining(" "))));
            }
        } else {
            cmd.addAll(List.of(command));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // the server must not pick up a client's connection settings
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        try {
            if (!p.waitFor(START_TIMEOUT_SECONDS + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " did not finish within " + (START_TIMEOUT_SECONDS + 30) + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command[0], e);
        }
        return p.exitValue();
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void chownToOsUser(Path p) throws IOException {
        UserPrincipal owner;
        try {
            owner = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        } catch (IOException e) {
            throw new IOException("running as root and there is no '" + OS_USER
                    + "' OS user to run PostgreSQL as (PostgreSQL refuses to run as root)", e);
        }
        Files.setOwner(p, owner);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return the last 5 non-blank lines of a log, joined with " | ", or "" when absent */
    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).collect(Collectors.toList());
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static void deleteTree(Path root) {
        io.driftwatch.base.FileTrees.delete(root);
    }

}
