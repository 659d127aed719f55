package io.driftwatch.flyway.stamp;

/**
 * The stamp flags of the CLI.
 *
 * @param installedBy     {@code --installed-by}; null: the role connecting to the target ({@code current_user})
 * @param forgetMissing   {@code --forget-missing}
 * @param baselineVersion {@code --baseline VERSION}, or null
 * @param verify          false only with {@code --no-verify}
 */
public record StampRequest(String installedBy, boolean forgetMissing, String baselineVersion, boolean verify) {
}
