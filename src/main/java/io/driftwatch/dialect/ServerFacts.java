package io.driftwatch.dialect;

/**
 * What the pipeline needs to know about a connected server before it reads the catalog, read in the
 * audit's read session.
 *
 * @param version       the server's version text, e.g. {@code 15.18}
 * @param major         major version, e.g. {@code 15} (shadow servers are matched on it)
 * @param currentSchema the connected role's default schema ({@code current_schema()}), never null
 * @param currentUser   the connected role ({@code current_user})
 */
public record ServerFacts(String version, int major, String currentSchema, String currentUser) {
}
