package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.dialect.ShadowUnavailableException;
import io.driftwatch.postgres.ConnectionSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which PostgreSQL major version the shadow server {@link ShadowProviders#open} would open has,
 * found out <em>without</em> starting a server, so the expected-model cache can be consulted before
 * paying for a shadow's start-up.
 *
 * <p>Per provider: {@code local} — the binaries {@link LocalBinaries#choose} would pick (their
 * {@code postgres --version}); {@code embedded} — the bundled binaries' major; {@code docker} — the
 * target's major (the image tag), else {@link DockerPostgresServer#DEFAULT_MAJOR}; {@code url} — one
 * connection to the given server reads {@code server_version_num} (nothing is created there);
 * {@code auto} — the same order as {@link ShadowProviders}'s auto choice, assuming the first
 * candidate starts. When a candidate then fails to start and auto falls back to another major, the
 * forecast was wrong: the caller stores its result under the major of the server it really used,
 * so a wrong forecast costs a cache miss, never a wrong model.
 */
public final class ShadowForecast {

    private ShadowForecast() {
    }

    /**
     * @param options the shadow options the audit will open the server with (target major filled in)
     * @return the major version the shadow server would have; empty when it cannot be known without
     *         starting it (e.g. an unreachable {@code --shadow-url}, which the real open then reports)
     */
    public static OptionalInt major(ShadowOptions options) {
        return major(options, System.getenv());
    }

    /** As {@link #major(ShadowOptions)} with an explicit environment (PG_BIN, PATH, DOCKER_HOST). */
    static OptionalInt major(ShadowOptions options, Map<String, String> env) {
        Integer target = options.targetMajor();
        switch (options.kind()) {
            case URL:
                return urlMajor(options);
            case LOCAL:
                return of(LocalBinaries.choose(LocalBinaries.discover(env), target));
            case EMBEDDED:
                return OptionalInt.of(EmbeddedPostgresServer.bundledMajor());
            case DOCKER:
                return OptionalInt.of(target == null ? DockerPostgresServer.DEFAULT_MAJOR : target);
            case AUTO:
                return options.shadowUrl() != null ? urlMajor(options) : autoMajor(target, env);
            default:
                return OptionalInt.empty();
        }
    }

    private static OptionalInt autoMajor(Integer target, Map<String, String> env) {
        List<LocalBinaries> found = LocalBinaries.discover(env);
        boolean docker = DockerPostgresServer.engineMissingReason(env) == null;
        if (target == null) {
            Optional<LocalBinaries> newest = LocalBinaries.choose(found, null);
            if (newest.isPresent()) {
                return OptionalInt.of(newest.get().major());
            }
            return OptionalInt.of(docker ? DockerPostgresServer.DEFAULT_MAJOR : EmbeddedPostgresServer.bundledMajor());
        }
        if (found.stream().anyMatch(b -> b.major() == target) || docker
                || EmbeddedPostgresServer.bundledMajor() == target) {
            return OptionalInt.of(target);
        }
        Optional<LocalBinaries> other = LocalBinaries.choose(found, null);
        return other.isPresent() ? OptionalInt.of(other.get().major())
                : OptionalInt.of(EmbeddedPostgresServer.bundledMajor());
    }

    private static OptionalInt urlMajor(ShadowOptions options) {
        ConnectionSpec url = options.shadowUrl() == null ? null : ConnectionSpec.of(options.shadowUrl());
        if (url == null || (options.target() != null && url.sameDatabaseAs(ConnectionSpec.of(options.target())))) {
            return OptionalInt.empty();
        }
        try {
            UrlPostgresServer server = UrlPostgresServer.open(url);
            return OptionalInt.of(server.majorVersion());
        } catch (ShadowUnavailableException e) {
            return OptionalInt.empty();
        }
    }

    private static OptionalInt of(Optional<LocalBinaries> b) {
        return b.isPresent() ? OptionalInt.of(b.get().major()) : OptionalInt.empty();
    }
}
