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
 */
public record ShadowOptions(ShadowKind kind, DatabaseTarget shadowUrl, Integer targetMajor, DatabaseTarget target) {

    public ShadowOptions {
        Objects.requireNonNull(kind, "kind");
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
