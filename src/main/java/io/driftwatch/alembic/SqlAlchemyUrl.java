package io.driftwatch.alembic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQLAlchemy URLs for PostgreSQL ({@code postgresql://user:password@host:port/database}; SQLAlchemy's
 * default PostgreSQL driver is psycopg2), built from parts or a JDBC URL, and masked for display.
 */
public final class SqlAlchemyUrl {

    private static final Pattern JDBC = Pattern.compile(
            "jdbc:postgresql://(\\[[^]]+]|[^:/?]+)(?::(\\d+))?/([^?]*)(?:\\?.*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PASSWORD = Pattern.compile("(://[^:/?#@\\s]*:)[^@\\s]*@");

    private SqlAlchemyUrl() {
    }

    /**
     * @param host     host name or address ({@code [::1]} style for IPv6)
     * @param port     TCP port
     * @param database database name
     * @param user     role name, or null
     * @param password password, or null
     * @return {@code postgresql://user:password@host:port/database}, user, password and database
     * percent-encoded
     */
    public static String postgres(String host, int port, String database, String user, String password) {
        StringBuilder b = new StringBuilder("postgresql://");
        if (user != null) {
            b.append(encode(user));
            if (password != null) {
                b.append(':').append(encode(password));
            }
            b.append('@');
        }
        b.append(host).append(':').append(port).append('/').append(encode(database));
        return b.toString();
    }

    /**
     * @param jdbcUrl  {@code jdbc:postgresql://host[:port]/database[?...]} (query parameters are dropped)
     * @param user     role name, or null
     * @param password password, or null
     * @return the SQLAlchemy URL for the same database
     * @throws IllegalArgumentException when the JDBC URL is not of that form (the message shows it masked)
     */
    public static String fromJdbc(String jdbcUrl, String user, String password) {
        Matcher m = JDBC.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + mask(jdbcUrl));
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        String db = java.net.URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        return postgres(m.group(1).toLowerCase(Locale.ROOT), port, db, user, password);
    }

    /**
     * @param url any URL
     * @return the URL with the password of its {@code user:password@} part replaced by {@code ***}
     */
    public static String mask(String url) {
        return url == null ? null : PASSWORD.matcher(url).replaceAll("$1***@");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
