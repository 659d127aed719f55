package io.driftwatch.flyway;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Flyway version ordering (as {@code org.flywaydb.core.api.MigrationVersion}): the version is split
 * on {@code .} (an {@code _} in a file name counts as a dot), each part compared as a whole number,
 * trailing zero parts ignored, so {@code 1.10 > 1.9} and {@code 1.0 == 1}.
 */
public final class Versions {

    private static final Pattern VALID = Pattern.compile("\\d+([._]\\d+)*");

    /** Orders version strings as Flyway does; invalid versions sort last, by text. */
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    /**
     * @param version candidate text
     * @return true when Flyway would accept it as a version ({@code 1}, {@code 1.2.3}, {@code 2_1})
     */
    public static boolean isValid(String version) {
        return version != null && VALID.matcher(version).matches();
    }

    /**
     * @param version a valid version ({@link #isValid(String)})
     * @return the canonical dotted form with trailing zero parts removed ({@code 1.0 -> 1})
     * @throws IllegalArgumentException if the version is not valid
     */
    public static String normalize(String version) {
        List<BigInteger> parts = parts(version);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(parts.get(i));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /**
     * Compares two versions; invalid ones sort after valid ones and among themselves by text.
     *
     * @return negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}
     */
    public static int compare(String a, String b) {
        boolean va = isValid(a);
        boolean vb = isValid(b);
        if (!va || !vb) {
            if (va) {
                return -1;
            }
            if (vb) {
                return 1;
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
        List<BigInteger> pa = parts(a);
        List<BigInteger> pb = parts(b);
        int n = Math.max(pa.size(), pb.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < pa.size() ? pa.get(i) : BigInteger.ZERO;
            BigInteger y = i < pb.size() ? pb.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<BigInteger> parts(String version) {
        if (!isValid(version)) {
            throw new IllegalArgumentException("not a Flyway version: " + version);
        }
        List<BigInteger> parts = new ArrayList<>();
        for (String p : version.split("[._]")) {
            parts.add(new BigInteger(p));
        }
        int end = parts.size();
        while (end > 0 && parts.get(end - 1).signum() == 0) {
            end--;
        }
        return new ArrayList<>(parts.subList(0, end));
    }
}
