package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.Versions;

import java.util.Objects;

/**
 * What the user asked of a stamp.
 *
 * @param installedBy     {@code installed_by} of every row the stamp inserts (the CLI default: the role
 *                        connecting to the target, as Flyway's default {@code current_user})
 * @param forgetMissing   record applied migrations whose script is gone as deleted ({@code --forget-missing});
 *                        otherwise they are left and listed
 * @param baselineVersion {@code --baseline VERSION}: insert Flyway's baseline row into an empty table; null: none
 */
public record StampSettings(String installedBy, boolean forgetMissing, String baselineVersion) {

    /**
     * @throws IllegalArgumentException when {@code installedBy} is empty or {@code baselineVersion} is not a
     *                                  Flyway version
     */
    public StampSettings {
        Objects.requireNonNull(installedBy, "installedBy");
        if (installedBy.isEmpty()) {
            throw new IllegalArgumentException("--installed-by must not be empty");
        }
        if (baselineVersion != null && !Versions.isValid(baselineVersion)) {
            throw new IllegalArgumentException("--baseline '" + baselineVersion
                    + "' is not a Flyway version (digits separated by dots, e.g. 5 or 1.2)");
        }
    }
}
