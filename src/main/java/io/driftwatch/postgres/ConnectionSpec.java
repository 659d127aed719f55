package io.driftwatch.postgres;

import io.driftwatch.base.PasswordMask;
import io.driftwatch.dialect.NetworkTimeouts;
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
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = (int) NetworkTimeouts.DEFAULT_CONNECT.toSeconds();

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
            int prefix;
            if (u.startsWith("jdbc:postgresql://")) {
                prefix = "jdbc:postgresql://".length();
            } else if (u.startsWith("postgresql://")) {
                prefix = "postgresql://".length();
            } else if (u.startsWith("postgres://")) {
                prefix = "postgres://".length();
            } else {
                throw new IllegalArgumentException("not a PostgreSQL URL: '" + maskUrl(u)
                        + "' (expected jdbc:postgresql://host:port/db or postgresql://user@host:port/db)");
            }
            Decoder dec = new Decoder(u);
            String rest = u.substring(prefix);
            String query = null;
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            int at = rest.lastIndexOf('@');
            int hostStart = prefix;
            if (at >= 0) {
                String userInfo = rest.substring(0, at);
                rest = rest.substring(at + 1);
                hostStart = prefix + at + 1;
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    urlUser = dec.decode(userInfo.substring(0, colon), prefix, "user name");
                    urlPassword = dec.decode(userInfo.substring(colon + 1), prefix + colon + 1, "password");
                } else {
                    urlUser = dec.decode(userInfo, prefix, "user name");
                }
            }
            int slash = rest.indexOf('/');
            String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
            if (slash >= 0 && slash + 1 < rest.length()) {
                database = dec.decode(rest.substring(slash + 1), hostStart + slash + 1, "database name");
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
                int offset = prefix + q + 1;
                for (String kv : query.split("&", -1)) {
                    if (!kv.isEmpty()) {
                        int eq = kv.indexOf('=');
                        String k = dec.decode(eq >= 0 ? kv.substring(0, eq) : kv, offset, "parameter name");
                        String v = eq >= 0 ? dec.decode(kv.substring(eq + 1), offset + eq + 1,
                                k.equals("password") ? "password" : "value of parameter " + k) : "";
                        switch (k) {
                            case "user" -> urlUser = v;
                            case "password" -> urlPassword = v;
                            default -> params.put(k, v);
                        }
                    }
                    offset += kv.length() + 1;
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

    /**
     * The driver timeouts of a command's connections ({@link NetworkTimeouts}): {@code connectTimeout}
     * and {@code loginTimeout} from {@code connect} (when null: the spec's {@code connectTimeout},
     * i.e. the URL's, else {@code PGCONNECT_TIMEOUT}, else {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s),
     * {@code socketTimeout} from the longest {@code statement_timeout} the command's statements
     * run under plus {@link NetworkTimeouts#SOCKET_MARGIN}. A {@code loginTimeout} (unless
     * {@code connect} is given) or {@code socketTimeout} written in the URL is kept.
     *
     * @param connect          {@code --connect-timeout}, or null when not given
     * @param longestStatement the longest {@code statement_timeout} on these connections
     * @return the same spec with the three driver timeouts in {@link #params()}
     */
    public ConnectionSpec withTimeouts(java.time.Duration connect, java.time.Duration longestStatement) {
        java.time.Duration c = connect != null ? connect : java.time.Duration.ofSeconds(connectTimeoutSeconds());
        Map<String, String> p = new LinkedHashMap<>(params);
        String givenLogin = connect == null ? params.get("loginTimeout") : null;
        String givenSocket = params.get("socketTimeout");
        NetworkTimeouts.forStatements(c, longestStatement).applyTo(p);
        if (givenLogin != null) {
            p.put("loginTimeout", givenLogin);
        }
        if (givenSocket != null) {
            p.put("socketTimeout", givenSocket);
        }
        return new ConnectionSpec(host, port, database, user, password, p);
    }

    /**
     * @return how long a connection attempt may take in all ({@code loginTimeout}, else
     *         {@code connectTimeout}, else the default), for messages
     */
    public java.time.Duration loginTimeout() {
        try {
            String login = params.get("loginTimeout");
            if (login != null && Double.parseDouble(login) > 0) {
                return java.time.Duration.ofMillis(Math.round(Double.parseDouble(login) * 1000));
            }
        } catch (NumberFormatException ignored) {
            // fall back to connectTimeout
        }
        return java.time.Duration.ofSeconds(connectTimeoutSeconds());
    }

    private int connectTimeoutSeconds() {
        String t = params.get("connectTimeout");
        return t != null && t.matches("\\d{1,6}") && Integer.parseInt(t) > 0 ? Integer.parseInt(t)
                : DEFAULT_CONNECT_TIMEOUT_SECONDS;
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
     * Opens a connection with {@code ApplicationName=driftwatch} and all three driver timeouts
     * ({@link NetworkTimeouts}): those in {@link #params()} ({@link #withTimeouts}), else
     * {@code loginTimeout} equal to {@code connectTimeout} and {@code socketTimeout} of
     * {@link NetworkTimeouts#DEFAULTS}, so no connection can wait forever for a silent server.
     *
     * @return an open connection (auto-commit on)
     * @throws SQLException as the driver reports it (SQLState {@code 08001} unreachable or no answer
     *         within {@code loginTimeout}, {@code 28P01} bad password, {@code 3D000} unknown database, ...)
     */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (!params.containsKey("loginTimeout")) {
            p.setProperty("loginTimeout", String.valueOf(connectTimeoutSeconds()));
        }
        if (!params.containsKey("socketTimeout")) {
            p.setProperty("socketTimeout", String.valueOf(NetworkTimeouts.DEFAULTS.socketSeconds()));
        }
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
     * Masks the password in any text: {@code postgresql://u:secret@h} becomes
     * {@code postgresql://u:***@h}, {@code password=secret} becomes {@code password=***}, and so do
     * malformed URLs such as {@code u:secret@host/db} or {@code postgresql//u:secret@h}; the rules are
     * {@link PasswordMask#mask(String)}'s.
     *
     * @param url any text, may be null
     * @return the text with passwords masked
     */
    public static String maskUrl(String url) {
        return PasswordMask.mask(url);
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

    /**
     * Strict %-decoding of URL parts ({@code +} is a plus sign, as libpq reads it), with errors that
     * name the character position in the URL and the part, never the text around it.
     */
    private record Decoder(String url) {

        String decode(String s, int offset, String part) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '%') {
                    flush(bytes, out);
                    out.append(c);
                    continue;
                }
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad %-escape at character " + (offset + i + 1)
                            + " (in the " + part + ") of '" + maskUrl(url) + "': % must be followed by two hex"
                            + " digits (write %25 for a literal %)");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            }
            flush(bytes, out);
            return out.toString();
        }

        private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
        }
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
