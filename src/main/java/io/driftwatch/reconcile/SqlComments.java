package io.driftwatch.reconcile;

import io.driftwatch.model.OneLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that puts text into a SQL {@code --} comment of a file Driftwatch hands out (the bridge's header,
 * reasons and hazards; the stamp script's header and summaries), and that comments a statement out.
 *
 * <p>Why: PostgreSQL's and psql's scanners end a {@code --} comment at LF or CR ({@code scan.l},
 * {@code psqlscan.l}: {@code newline [\n\r]}), so a name holding either would turn the rest of the line into SQL.
 * Other tools that read the file may honour more terminators (VT, FF, NEL, U+2028, U+2029), and Flyway replaces
 * {@code ${name}} placeholders everywhere in a script, comments included. So:
 * <ul>
 *   <li>{@link #text} escapes every character {@link OneLine#of} escapes (all those terminators among them) as
 *       {@code \\uXXXX}, and breaks {@code /*}, {@code *}{@code /} and {@code ${} with a backslash
 *       ({@code /\*}, {@code *\/}, {@code $\{}), so a comment line can neither end early, open or close a block
 *       comment, nor hold a placeholder;</li>
 *   <li>{@link #commentOut} splits a statement on every terminator (CRLF counts once) and writes {@code -- } before
 *       each piece, so no piece can end its comment; the pieces are joined by LF. A string literal or quoted
 *       identifier holding a terminator is split too: the commented-out text is for reading, and running it means
 *       regenerating the bridge with {@code --allow-destructive}, not uncommenting it.</li>
 * </ul>
 * Stateless.
 */
public final class SqlComments {

    private SqlComments() {
    }

    /**
     * @param s text for one comment line, or null
     * @return the text safe inside a {@code --} comment (see the class comment); empty for null
     */
    public static String text(String s) {
        return OneLine.of(s).replace("/*", "/\\*").replace("*/", "*\\/").replace("${", "$\\{");
    }

    /**
     * @param prefix the comment's start, e.g. {@code "-- "} or {@code "--     "}; must start with {@code --} and
     *               hold only characters {@link #text} keeps
     * @param s      the text
     * @return {@code prefix + text(s) + "\n"}
     */
    public static String line(String prefix, String s) {
        if (!prefix.startsWith("--") || !text(prefix).equals(prefix)) {
            throw new IllegalArgumentException("not a comment prefix: " + OneLine.of(prefix));
        }
        return prefix + text(s) + "\n";
    }

    /**
     * @param sql a statement, any characters
     * @return one {@code -- <piece>\n} per piece of {@code sql} split on every line terminator
     */
    public static String commentOut(String sql) {
        StringBuilder sb = new StringBuilder(sql.length() + 16);
        for (String piece : lines(sql)) {
            sb.append("-- ").append(piece).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param s text
     * @return the pieces of {@code s} between line terminators ({@link OneLine#terminator}; CRLF counts as one),
     *         in order; a text without terminators is one piece, a trailing terminator gives a last empty piece
     */
    public static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (OneLine.terminator(c)) {
                out.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
