package io.driftwatch.postgres.shadow;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.ShadowDatabase;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens the shadow server: a PostgreSQL server Driftwatch may write to, chosen per
 * {@link ShadowOptions}. One entry point for the CLI and the test suite.
 *
 * <p>{@code auto} order with a known target major T: {@code --shadow-url} if given; local binaries
 * of major T; Docker {@code postgres:T} if an engine exists; embedded if its major is T; local
 * binaries of another major (newest); embedded. With T unknown: local (newest), Docker, embedded.
 *
 * <p>Leftovers of runs that died on this host (SIGKILL) are removed on the way, each by the process tag in
 * its name ({@link Owner}): local clusters when a local server starts, Driftwatch's databases on a
 * {@code --shadow-url} server when it is opened (with a one-line note).
 */
public final class ShadowProviders {

    private ShadowProviders() {
    }

    /**
     * Opens a server per the options and reports the choice through {@code log} in one line, e.g.
     * {@code shadow: local PostgreSQL 15.18 from /usr/lib/postgresql/15/bin, port 40123 — auto: same
     * major as the target (15)}; when the server's major differs from {@code targetMajor} a second
     * line starting {@code warning:} follows. The caller closes the server.
     *
     * @param options what to open
     * @param log     receives human-readable lines (never a password)
     * @return an open server; its {@code majorVersion()} was read from the server
     * @throws ShadowUnavailableException one line naming each provider tried and why it failed
     * @throws IllegalArgumentException when {@code --shadow-url} names the audited database, or
     *         {@code url} was requested without a shadow URL
     */
    public static ShadowServer open(ShadowOptions options, Consumer<String> log) throws ShadowUnavailableException {
        return open(options, log, System.getenv());
    }

    /** As {@link #open(ShadowOptions, Consumer)} with an explicit environment (PG_BIN, PATH, DOCKER_HOST). */
    static ShadowServer open(ShadowOptions options, Consumer<String> log, Map<String, String> env)
            throws ShadowUnavailableException {
        Integer target = options.targetMajor();
        ShadowServer server;
        String reason;
        switch (options.kind()) {
            case URL -> {
                server = openUrl(options, log);
                reason = "requested with --shadow url";
            }
            case LOCAL -> {
                List<LocalBinaries> found = LocalBinaries.discover(env);
                Optional<LocalBinaries> b = LocalBinaries.choose(found, target);
                if (b.isEmpty()) {
                    throw new ShadowUnavailableException("local: no PostgreSQL binaries found ("
                            + LocalBinaries.SEARCHED + ")");
                }
                server = LocalPostgresServer.start(b.get(), options.timeouts());
                reason = "requested with --shadow local" + (target == null ? ""
                        : b.get().major() == target ? ", same major as the target (" + target + ")"
                        : ", no PostgreSQL " + target + " binaries found; newest installed");
            }
            case EMBEDDED -> {
                server = EmbeddedPostgresServer.start(options.timeouts());
                reason = "requested with --shadow embedded";
            }
            case DOCKER -> {
                server = DockerPostgresServer.start(target == null ? DockerPostgresServer.DEFAULT_MAJOR : target, env, options.timeouts());
                reason = "requested with --shadow docker";
            }
            case AUTO -> {
                return auto(options, log, env);
            }
            default -> throw new IllegalStateException("unknown shadow kind " + options.kind());
        }
        report(server, reason, target, log);
        return server;
    }

    private static ShadowServer auto(ShadowOptions options, Consumer<String> log, Map<String, String> env)
            throws ShadowUnavailableException {
        Integer target = options.targetMajor();
        if (options.shadowUrl() != null) {
            ShadowServer s = openUrl(options, log);
            report(s, "auto: --shadow-url given", target, log);
            return s;
        }
        List<String> failures = new ArrayList<>();
        List<LocalBinaries> found = LocalBinaries.discover(env);
        String dockerMissing = DockerPostgresServer.engineMissingReason(env);
        int embeddedMajor = EmbeddedPostgresServer.bundledMajor();
        boolean localTried = false;
        boolean embeddedTried = false;

        if (target != null) {
            Optional<LocalBinaries> same = found.stream().filter(b -> b.major() == target).findFirst();
            if (same.isPresent()) {
                localTried = true;
                try {
                    return report(LocalPostgresServer.start(same.get(), options.timeouts()),
                            "auto: same major as the target (" + target + ")", target, log);
                } catch (ShadowUnavailableException e) {
                    failures.add(e.getMessage());
                }
            } else {
                failures.add("local: no PostgreSQL " + target + " binaries ("
                        + (found.isEmpty() ? "none found in " + LocalBinaries.SEARCHED
                        : "found " + majors(found)) + ")");
            }
        } else {
            Optional<LocalBinaries> newest = LocalBinaries.choose(found, null);
            if (newest.isPresent()) {
                localTried = true;
                try {
                    return report(LocalPostgresServer.start(newest.get(), options.timeouts()),
                            "auto: no target major known; newest local binaries", null, log);
                } catch (ShadowUnavailableException e) {
                    failures.add(e.getMessage());
                }
            } else {
                failures.add("local: no PostgreSQL binaries found (" + LocalBinaries.SEARCHED + ")");
            }
        }

        int dockerMajor = target == null ? DockerPostgresServer.DEFAULT_MAJOR : target;
        if (dockerMissing == null) {
            try {
                return report(DockerPostgresServer.start(dockerMajor, env, options.timeouts()),
                        "auto: Docker engine found, postgres:" + dockerMajor, target, log);
            } catch (ShadowUnavailableException e) {
                failures.add(e.getMessage());
            }
        } else {
            failures.add("docker: " + dockerMissing);
        }

        if (target != null && embeddedMajor == target) {
            embeddedTried = true;
            try {
                return report(EmbeddedPostgresServer.start(options.timeouts()),
                        "auto: embedded PostgreSQL " + embeddedMajor + " matches the target", target, log);
            } catch (ShadowUnavailableException e) {
                failures.add(e.getMessage());
            }
        }

        if (!localTried) {
            Optional<LocalBinaries> other = LocalBinaries.choose(found, null);
            if (other.isPresent()) {
                try {
                    return report(LocalPostgresServer.start(other.get(), options.timeouts()), "auto: no PostgreSQL " + target
                            + " binaries and no Docker engine; newest local binaries ("
                            + other.get().major() + ")", target, log);
                } catch (ShadowUnavailableException e) {
                    failures.add(e.getMessage());
                }
            }
        }

        if (!embeddedTried) {
            try {
                return report(EmbeddedPostgresServer.start(options.timeouts()), "auto: no local binaries"
                        + (target == null ? "" : " of major " + target) + " and no Docker engine; embedded", target, log);
            } catch (ShadowUnavailableException e) {
                failures.add(e.getMessage());
            }
        }
        throw new ShadowUnavailableException("no shadow server could be opened: " + String.join("; ", failures));
    }

    /** Opens the {@code --shadow-url} server and drops the databases dead runs of this host left there. */
    private static ShadowServer openUrl(ShadowOptions options, Consumer<String> log)
            throws ShadowUnavailableException {
        if (options.shadowUrl() == null) {
            throw new IllegalArgumentException("--shadow url needs --shadow-url: a PostgreSQL server Driftwatch may write to");
        }
        if (options.target() != null && ConnectionSpec.of(options.shadowUrl()).sameDatabaseAs(ConnectionSpec.of(options.target()))) {
            throw new IllegalArgumentException("--shadow-url points at the audited database "
                    + options.target().display() + "; give a server Driftwatch may write to");
        }
        ShadowServer server = UrlPostgresServer.open(ConnectionSpec.of(options.shadowUrl()));
        ShadowDatabase.sweep(server, log);
        return server;
    }

    private static ShadowServer report(ShadowServer server, String reason, Integer target, Consumer<String> log) {
        log.accept("shadow: " + server.description() + " — " + reason);
        if (target != null && server.majorVersion() != target) {
            log.accept("warning: the shadow server is PostgreSQL " + server.majorVersion() + " but the target is "
                    + target + "; definitions deparsed by different majors may differ");
        }
        return server;
    }

    private static String majors(List<LocalBinaries> found) {
        List<String> s = new ArrayList<>();
        for (LocalBinaries b : found) {
            s.add(String.valueOf(b.major()));
        }
        return String.join(", ", s);
    }
}
