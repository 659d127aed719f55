package io.driftwatch.cli;

import io.driftwatch.postgres.ConnectionSpec;
import io.driftwatch.dialect.ShadowKind;
import io.driftwatch.dialect.ShadowOptions;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * {@code --shadow} and {@code --shadow-url}: where the throwaway shadow database comes from.
 */
public final class ShadowMixin {

    @Option(names = "--shadow", paramLabel = "KIND", defaultValue = "auto",
            description = "Shadow database provider: auto, url, local, embedded, docker. auto picks url > local "
                    + "(same major as the target) > docker > embedded and says why. Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--shadow-url", paramLabel = "URL",
            description = "A PostgreSQL server Driftwatch may write to; it creates a uniquely named database "
                    + "there and drops it afterwards. Never the audited database. Used with --shadow url or "
                    + "auto; refused with local, embedded or docker.")
    String shadowUrl;

    /**
     * @param env              environment (for PG* defaults of the shadow URL's user and password)
     * @param timeouts         the command's timeout flags: every shadow connection gets their connect,
     *                         login and socket timeouts
     * @param longestStatement the longest {@code statement_timeout} of the command's reads
     * @return shadow options without the target's major version (the auditor fills it in)
     * @throws IllegalArgumentException for an unknown kind, {@code --shadow url} without a URL, a
     *         {@code --shadow-url} with a kind that would ignore it ({@code local}, {@code embedded},
     *         {@code docker}), or a malformed URL (message starts {@code --shadow-url: })
     */
    ShadowOptions options(Map<String, String> env, TimeoutMixin timeouts, java.time.Duration longestStatement) {
        ShadowKind k = ShadowKind.parse(kind);
        ConnectionSpec url;
        try {
            url = shadowUrl == null ? null
                    : timeouts.apply(ConnectionSpec.parse(shadowUrl, null, null, env), longestStatement);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--shadow-url: " + e.getMessage(), e);
        }
        if (k == ShadowKind.URL && url == null) {
            throw new IllegalArgumentException("--shadow url needs --shadow-url URL");
        }
        if (url != null && k != ShadowKind.URL && k != ShadowKind.AUTO) {
            throw new IllegalArgumentException("--shadow " + k.cliName() + " starts its own server and would ignore"
                    + " --shadow-url; drop --shadow-url, or pass --shadow url (or auto) to use that server");
        }
        return new ShadowOptions(k, url, null, null, timeouts.network(longestStatement));
    }
}
