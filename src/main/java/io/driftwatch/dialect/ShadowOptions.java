package io.driftwatch.dialect;


import java.util.Objects;

/**
 * What {@link Dialect#openShadow} should open.
 *
 * @param kind        provider, or {@link ShadowKind#AUTO}
 * @param shadowUrl   {@code --shadow-url}: a server Driftwatch may write to; null when not given
 *                    (required for {@link ShadowKind#URL})
 * @param targetMajor major version of the audited server (e.g. 15), null when unknown
 * @param target      the audited database, null when none; used to refuse a shadow URL naming it
 * @param timeouts    driver timeouts of every connection to a server Driftwatch starts (a
 *                    {@code shadowUrl} carries its own, {@code ConnectionSpec.withTimeouts}); null
 *                    means {@link NetworkTimeouts#DEFAULTS}
 */
public record ShadowOptions(ShadowKind kind, DatabaseTarget shadowUrl, Integer targetMajor, DatabaseTarget target,
                            NetworkTimeouts timeouts) {

    public ShadowOptions {
        Objects.requireNonNull(kind, "kind");
        timeouts = timeouts == null ? NetworkTimeouts.DEFAULTS : timeouts;
    }

    /**
     * Options with {@link NetworkTimeouts#DEFAULTS}.
     *
     * @param kind        provider
     * @param shadowUrl   {@code --shadow-url} or null
     * @param targetMajor target major version or null
     * @param target      the audited database or null
     */
    public ShadowOptions(ShadowKind kind, DatabaseTarget shadowUrl, Integer targetMajor, DatabaseTarget target) {
        this(kind, shadowUrl, targetMajor, target, null);
    }

    /**
     * @param major  the audited server's major version, or null
     * @param target the audited database, or null
     * @return these options (kind, URL, timeouts) for that target
     */
    public ShadowOptions forTarget(Integer major, DatabaseTarget target) {
        return new ShadowOptions(kind, shadowUrl, major, target, timeouts);
    }

    /**
     * @param kind        provider
     * @param targetMajor target major version or null
     * @return options without shadow URL or target connection
     */
    public static ShadowOptions of(ShadowKind kind, Integer targetMajor) {
        return new ShadowOptions(kind, null, targetMajor, null);
    }
}
