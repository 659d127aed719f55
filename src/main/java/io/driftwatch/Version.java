package io.driftwatch;

/**
 * The running Driftwatch version, from the jar manifest ({@code Implementation-Version}), or
 * {@code dev} when run from classes.
 */
public final class Version {

    private Version() {
    }

    /** @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code dev} */
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
