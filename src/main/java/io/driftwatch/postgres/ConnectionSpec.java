package io.driftwatch.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and as whom to connect to a PostgreSQL server, parsed the way PostgreSQL users expect.
 *
 * <p>Accepted forms: a JDBC URL ({@code jdbc:postgresql://host:5432/db?sslmode=require}), a libpq
 * URI ({@code postgresql://user:secret@host:5432/db}, also {@code postgres://}), or nothing, in
 * which case the standard {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER},
 * {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGCONNECT_TIMEOUT} environment variables fill in
 * (defaults: {@code localhost}, {@code 5432}, database = user). Precedence for each value:
 * explicit option, then URL, then environment, then default.
 *
 * <p>The password is never part of {@link #jdbcUrl()}, {@link #display()} or {@link #toString()}.
 *
 * @param host     host name or address
 * @param port     TCP port
 * @param database database name
 * @param user     role name (may be null: the driver then fails with a clear message)
 * @param password password, may be null
 * * @param params   extra JDBC connection parameters (e.g. {@code sslmode}), sorted by name, never the password
 */
public record ConnectionSpec(String host, int port, String database, String user, String password,
                             Map<String, String> params) implements io.driftwatch.dialect.DatabaseTarget {

    /** Seconds the driver waits for a TCP connection unless {@code connectTimeout} is given. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    public ConnectionSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        params = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
    }

    /**
     * Parses a URL or URI and fills gaps from explicit options and the environment.
     *
     * @param url      JDBC URL, {@code postgresql://} URI, or null/blank for environment only
     * @param user     explicit {@code --user}, or null
     * @param password explicit {@code --password}, or null
     * @param env      environment variables (usually {@code System.getenv()})
     * @return the parsed spec
     * @throws IllegalArgumentException with a one-line message when the URL is not one of the
     *         accepted forms or the port is not a number
     */
    public static ConnectionSpec parse(String url, String user, String password, Map<String, String> env) {
        String host = null;
        Integer port = null;
        String database = null;
        String urlUser = null;
        String urlPassword = null;
        Map<String, String> params = new LinkedHashMap<>();
        if (url != null && !url.isBlank()) {
            String u = url.trim();
            String rest;
            if (u.startsWith("jdbc:postgresql://")) {
                rest = u.substring("jdbc:postgresql://".length());
            } else if (u.startsWith("postgresql://")) {
                rest = u.substring("postgresql://".length());
            } else if (u.startsWith("postgres://")) {
                rest = u.substring("postgres://".length());
            } else {
                throw new IllegalArgumentException("not a PostgreSQL URL: '" + maskUrl(u)
                        + "' (expected jdbc:postgresql://host:port/db or postgresql://user@host:port/db)");
            }
            String query = null;
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    urlUser = decode(userInfo.substring(0, colon));
                    urlPassword = decode(userInfo.substring(colon + 1));
                } else {
                    urlUser = decode(userInfo);
                }
            }
            int slash = rest.indexOf('/');
            String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
            if (slash >= 0 && slash + 1 < rest.length()) {
                database = decode(rest.substring(slash + 1));
            }
            if (!hostPort.isEmpty()) {
                int colon;
                if (hostPort.startsWith("[")) {
                    int close = hostPort.indexOf(']');
                    host = hostPort.substring(0, close + 1);
                    colon = hostPort.indexOf(':', close);
                } else {
                    colon = hostPort.lastIndexOf(':');
                    host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
                }
                if (colon >= 0) {
                    port = parsePort(hostPort.substring(colon + 1), "URL");
                }
                if (host.isEmpty()) {
                    host = null;
                }
            }
            if (query != null) {
                for (String kv : query.split("&")) {
                    if (kv.isEmpty()) {
                        continue;
                    }
                    int eq = kv.indexOf('=');
                    String k = decode(eq >= 0 ? kv.substring(0, eq) : kv);
                    String v = eq >= 0 ? decode(kv.substring(eq + 1)) : "";
                    switch (k) {
                        case "user" -> urlUser = v;
                        case "password" -> urlPassword = v;
                        default -> params.put(k, v);
                    }
                }
            }
        }
        String effUser = firstNonBlank(user, urlUser, env.get("PGUSER"), System.getProperty("user.name"));
        String effPassword = firstNonNull(password, urlPassword, env.get("PGPASSWORD"));
        String effHost = firstNonBlank(host, env.get("PGHOST"), "localhost");
        if (effHost.startsWith("/")) {
            throw new IllegalArgumentException("Unix-socket host '" + effHost
                    + "' is not supported by the JDBC driver; use a TCP host such as localhost");
        }
        int effPort = port != null ? port
                : env.get("PGPORT") != null && !env.get("PGPORT").isBlank() ? parsePort(env.get("PGPORT"), "PGPORT")
                : 5432;
        String effDb = firstNonBlank(database, env.get("PGDATABASE"), effUser);
        if (!params.containsKey("sslmode") && env.get("PGSSLMODE") != null && !env.get("PGSSLMODE").isBlank()) {
            params.put("sslmode", env.get("PGSSLMODE"));
        }
        if (!params.containsKey("connectTimeout")) {
            String t = env.get("PGCONNECT_TIMEOUT");
            params.put("connectTimeout", t != null && t.matches("\\d+") ? t
                    : String.valueOf(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        }
        return new ConnectionSpec(effHost, effPort, effDb == null ? "postgres" : effDb, effUser, effPassword, params);
    }

    /**
     * @param target a target the PostgreSQL dialect made
     * @return it as a connection spec
     * @throws IllegalArgumentException when another dialect made it
     */
    public static ConnectionSpec of(io.driftwatch.dialect.DatabaseTarget target) {
        if (target instanceof ConnectionSpec spec) {
            return spec;
        }
        throw new IllegalArgumentException(target.display() + " is not a PostgreSQL connection");
    }

    /** @return same server and role, another database (used to create shadow databases) */
    public ConnectionSpec withDatabase(String otherDatabase) {
        return new ConnectionSpec(host, port, otherDatabase, user, password, params);
    }

    /** @return {@code jdbc:postgresql://host:port/db?params}, never containing the password */
    public String jdbcUrl() {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
                .append('/').append(encode(database));
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /** @return {@code postgresql://user@host:port/db} for messages and reports (no password) */
    public String display() {
        return "postgresql://" + (user != null ? user + "@" : "") + host + ":" + port + "/" + database;
    }

    /**
     * Opens a connection with {@code ApplicationName=driftwatch}.
     *
     * @return an open connection (auto-commit on)
     * @throws SQLException as the driver reports it (SQLState {@code 08001} unreachable,
     *         {@code 28P01} bad password, {@code 3D000} unknown database, ...)
     */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.putIfAbsent("ApplicationName", "driftwatch");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /**
     * @return true when both specs name the same database on the same host and port (host names
     *         compared case-insensitively, {@code localhost} equal to {@code 127.0.0.1} and {@code ::1})
     */
    public boolean sameDatabaseAs(ConnectionSpec other) {
        return port == other.port && database.equals(other.database)
                && canonicalHost(host).equals(canonicalHost(other.host));
    }

    @Override
    public String toString() {
        return display();
    }

    /**
     * Masks the password in any URL-ish string: {@code postgresql://u:secret@h} becomes
     * {@code postgresql://u:***@h}, and {@code password=secret} parameters become {@code password=***}.
     *
     * @param url any text, may be null
     * @return the text with passwords masked
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        return io.driftwatch.base.Secrets.maskUrl(url);
    }

    private static String canonicalHost(String h) {
        String l = h.toLowerCase(java.util.Locale.ROOT);
        return switch (l) {
            case "127.0.0.1", "::1", "[::1]", "localhost" -> "localhost";
            default -> l;
        };
    }

    private static int parsePort(String s, String where) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s + "' in " + where + " is not a number from 1 to 65535");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
