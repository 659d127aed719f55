package io.driftwatch.dialect;

/**
 * What the pipeline needs to know about a connected server before it reads the catalog.
 *
 * @param version       the server's version text, e.g. {@code 15.18}
 * @param major         major version, e.g. {@code 15} (shadow servers are matched on it)
 * @param currentSchema the connected role's default schema ({@code current_schema()}), never null
 */
public record ServerFacts(String version, int major, String currentSchema) {
}
