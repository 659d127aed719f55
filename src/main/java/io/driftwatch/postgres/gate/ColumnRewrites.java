package io.driftwatch.postgres.gate;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether {@code ALTER TABLE ... ALTER COLUMN ... SET DATA TYPE} rewrites the table, decided from the
 * two {@code format_type} texts alone.
 *
 * <p>PostgreSQL docs, ALTER TABLE, Notes: "changing the type of an existing column will require the
 * entire table and its indexes to be rewritten. As an exception, when changing the type of an
 * existing column, if the USING clause does not change the column contents and the old type is
 * either binary coercible to the new type or an unconstrained domain over the new type, a table
 * rewrite is not needed." Which changes qualify follows the server's own rules (release notes 9.2,
 * "Reduce need to rebuild tables and indexes for certain ALTER TABLE ... ALTER COLUMN TYPE
 * operations", and the length-coercion support functions {@code varchar_support},
 * {@code numeric_support}, {@code varbit_support}, {@code timestamp_support}, {@code time_support}),
 * and each case below was checked on PostgreSQL 15 by watching {@code pg_class.relfilenode}:
 * <ul>
 *   <li>no rewrite: {@code varchar(n)} to {@code varchar(m >= n)} or {@code varchar};
 *       {@code bit varying(n)} likewise; {@code numeric(p,s)} to {@code numeric(q >= p, s)} or
 *       {@code numeric}; {@code timestamp}, {@code timestamptz}, {@code time}, {@code timetz} to a
 *       precision at least as large (no precision = 6); and the binary-coercible casts of
 *       {@code pg_cast} ({@code castmethod = 'b'}) into an unconstrained target: {@code varchar} to
 *       {@code text}, {@code text} to {@code varchar}, {@code xml} to {@code text} or {@code varchar},
 *       {@code cidr} to {@code inet}, {@code bit(n)} to {@code bit varying};</li>
 *   <li>{@code timestamp} to {@code timestamptz} and back: no rewrite since PostgreSQL 12 only when
 *       the session's {@code TimeZone} is UTC, which a migration cannot be assumed to run with:
 *       {@link Verdict#UNLESS_UTC}, treated as a rewrite;</li>
 *   <li>everything else rewrites, including every change of an array type, of {@code character(n)},
 *       of {@code interval}, narrowing, and changes to or from a domain (a domain with constraints
 *       forces a rewrite; the texts cannot tell). A {@code USING} clause is not seen: a binary-coercible
 *       change with a {@code USING} expression that alters the values rewrites though reported here
 *       as not.</li>
 * </ul>
 */
final class ColumnRewrites {

    /** What a type change does to the table. */
    enum Verdict {
        /** the column is relabelled: no rewrite (still an ACCESS EXCLUSIVE lock) */
        NONE,
        /** the table and its indexes are rewritten */
        REWRITE,
        /** rewritten unless the session {@code TimeZone} is UTC (timestamp with/without time zone) */
        UNLESS_UTC
    }

    private static final Pattern TYPE = Pattern.compile(
            "([a-z][a-z ]*?)(?:\\(([0-9, ]+)\\))?((?: with(?:out)? time zone)?)((?:\\[\\])*)");

    private static final Set<String> LENGTH_TYPES = Set.of("character varying", "bit varying");
    private static final Set<String> TEMPORAL = Set.of("timestamp without time zone", "timestamp with time zone",
            "time without time zone", "time with time zone");
    /** binary-coercible casts (pg_cast.castmethod = 'b') whose target is taken unconstrained */
    private static final Set<String> BINARY = Set.of(
            "character varying>text", "text>character varying", "xml>text", "xml>character varying",
            "cidr>inet", "bit>bit varying");

    private ColumnRewrites() {
    }

    /**
     * @param from column type before, as {@code format_type} renders it, e.g. {@code character varying(10)}
     * @param to   column type after
     * @return what the change does; {@link Verdict#NONE} when the texts are equal
     */
    static Verdict typeChange(String from, String to) {
        if (from.equals(to)) {
            return Verdict.NONE;
        }
        Matcher a = TYPE.matcher(from);
        Matcher b = TYPE.matcher(to);
        if (!a.matches() || !b.matches() || !a.group(4).isEmpty() || !b.group(4).isEmpty()) {
            return Verdict.REWRITE; // user types, domains, arrays
        }
        String fromBase = a.group(1) + a.group(3);
        String toBase = b.group(1) + b.group(3);
        int[] fromMod = mods(a.group(2));
        int[] toMod = mods(b.group(2));
        if (fromBase.equals(toBase)) {
            if (LENGTH_TYPES.contains(fromBase)) {
                return toMod == null || fromMod != null && toMod[0] >= fromMod[0] ? Verdict.NONE : Verdict.REWRITE;
            }
            if (fromBase.equals("numeric")) {
                if (toMod == null) {
                    return Verdict.NONE;
                }
                return fromMod != null && scale(toMod) == scale(fromMod) && toMod[0] >= fromMod[0]
                        ? Verdict.NONE : Verdict.REWRITE;
            }
            if (TEMPORAL.contains(fromBase)) {
                int p = fromMod == null ? 6 : fromMod[0];
                int q = toMod == null ? 6 : toMod[0];
                return q >= p ? Verdict.NONE : Verdict.REWRITE;
            }
            return Verdict.REWRITE;
        }
        if (toMod == null && BINARY.contains(a.group(1) + ">" + b.group(1))) {
            return Verdict.NONE;
        }
        if ((fromBase.equals("timestamp without time zone") && toBase.equals("timestamp with time zone")
                || fromBase.equals("timestamp with time zone") && toBase.equals("timestamp without time zone"))
                && (toMod == null ? 6 : toMod[0]) >= (fromMod == null ? 6 : fromMod[0])) {
            return Verdict.UNLESS_UTC;
        }
        return Verdict.REWRITE;
    }

    private static int[] mods(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    private static int scale(int[] mod) {
        return mod.length > 1 ? mod[1] : 0;
    }
}
