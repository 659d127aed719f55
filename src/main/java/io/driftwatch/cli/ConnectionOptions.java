package io.driftwatch.cli;

import io.driftwatch.postgres.ConnectionSpec;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * Shared connection options ({@code --url}, {@code --user}, {@code --password}) as a Picocli mixin.
 * Missing values come from the URL, then from the standard {@code PG*} environment variables.
 */
public final class ConnectionOptions {

    @Option(names = {"--url", "-u"}, paramLabel = "URL",
            description = "Database to audit (read only): jdbc:postgresql://host:port/db or "
                    + "postgresql://user@host:port/db. Default: from PGHOST, PGPORT, PGDATABASE.")
    String url;

    @Option(names = "--user", paramLabel = "ROLE", description = "Role to connect as. Default: from the URL, else PGUSER.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "Password; give the flag alone to be prompted. Prefer the PGPASSWORD environment variable. "
                    + "Never printed.")
    char[] password;

    /**
     * @param env environment variables
     * @return the parsed connection spec
     * @throws IllegalArgumentException when the URL is malformed: one line starting {@code --url: },
     *         password masked
     */
    public ConnectionSpec spec(Map<String, String> env) {
        try {
            return ConnectionSpec.parse(url, user, password == null ? null : new String(password), env);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((url == null || url.isBlank() ? "" : "--url: ") + e.getMessage(), e);
        }
    }

    /** @return true when no URL was given and no PG* host/database variable is set */
    boolean nothingGiven(Map<String, String> env) {
        return (url == null || url.isBlank()) && env.get("PGHOST") == null && env.get("PGDATABASE") == null;
    }
}
