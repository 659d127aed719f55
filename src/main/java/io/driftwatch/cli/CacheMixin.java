package io.driftwatch.cli;

import io.driftwatch.cache.ModelCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --cache-dir} and {@code --no-cache}: the expected-model cache of the commands that replay
 * migrations into a shadow ({@code audit}, {@code gate}, {@code bridge}, {@code stamp}). See
 * {@link ModelCache} and docs/audit.md ("Expected-model cache").
 */
public final class CacheMixin {

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder of the expected-model cache: a replayed expected schema is kept there, keyed by "
                    + "the applied scripts' contents and checksums, placeholders, Flyway settings, scope, access flags, "
                    + "the shadow's PostgreSQL major and the Driftwatch version, so the next audit with the same "
                    + "inputs skips the shadow and the replay. Default: $XDG_CACHE_HOME/driftwatch, else "
                    + "~/.cache/driftwatch (at most " + ModelCache.DEFAULT_MAX_ENTRIES + " entries / "
                    + (ModelCache.DEFAULT_MAX_BYTES >> 20) + " MiB, least recently used dropped first).")
    Path cacheDir;

    @Option(names = "--no-cache",
            description = "Neither read nor write the expected-model cache: always start a shadow and replay.")
    boolean noCache;

    /**
     * @param env  environment ({@code XDG_CACHE_HOME})
     * @param home the user's home folder
     * @return the cache to use, or null for {@code --no-cache}
     * @throws IllegalArgumentException when both {@code --no-cache} and {@code --cache-dir} are given
     */
    public ModelCache cache(Map<String, String> env, String home) {
        if (noCache && cacheDir != null) {
            throw new IllegalArgumentException("--no-cache and --cache-dir " + cacheDir
                    + " contradict each other: pass one of them");
        }
        if (noCache) {
            return null;
        }
        return new ModelCache(cacheDir != null ? cacheDir : ModelCache.defaultDir(env, home));
    }
}
