package io.driftwatch.dialect;

import java.util.Locale;

/** Which provider {@link Dialect#openShadow} uses; the CLI's {@code --shadow} values. */
public enum ShadowKind {
    /** Choose: url if given, else local binaries of the target's major, else Docker, else embedded. */
    AUTO,
    /** A user-given server ({@code --shadow-url}) where Driftwatch may create and drop databases. */
    URL,
    /** A throwaway cluster from installed PostgreSQL binaries ({@code initdb}, {@code pg_ctl}). */
    LOCAL,
    /** zonky embedded PostgreSQL (binaries from Maven Central). */
    EMBEDDED,
    /** Testcontainers {@code postgres:<major>}. */
    DOCKER;

    /**
     * @param value {@code auto}, {@code url}, {@code local}, {@code embedded} or {@code docker} (any case)
     * @return the kind
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static ShadowKind parse(String value) {
        if (value != null) {
            for (ShadowKind k : values()) {
                if (k.name().equalsIgnoreCase(value.trim())) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("--shadow '" + value + "' is not one of auto, url, local, embedded, docker");
    }

    /** @return the lower-case CLI spelling, e.g. {@code local} */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
