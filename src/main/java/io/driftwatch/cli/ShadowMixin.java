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
                    + "there and drops it afterwards. Never the audited database.")
    String shadowUrl;

    /**
     * @param env environment (for PG* defaults of the shadow URL's user and password)
     * @return shadow options without the target's major version (the auditor fills it in)
     * @throws IllegalArgumentException for an unknown kind, or {@code --shadow url} without a URL
     */
    public ShadowOptions options(Map<String, String> env) {
        ShadowKind k = ShadowKind.parse(kind);
        ConnectionSpec url = shadowUrl == null ? null : ConnectionSpec.parse(shadowUrl, null, null, env);
        if (k == ShadowKind.URL && url == null) {
            throw new IllegalArgumentException("--shadow url needs --shadow-url URL");
        }
        return new ShadowOptions(k, url, null, null);
    }
}
