package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.NetworkTimeouts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** JDBC helpers shared by the server implementations (package-private). */
final class ServerJdbc {

    /** Server version as read from a live server. */
    record Version(String text, int major) {
    }

    private ServerJdbc() {
    }

    /** @return {@code jdbc:postgresql://host:port/db} with the database name URL-encoded */
    static String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Opens a connection with {@code ApplicationName=driftwatch-shadow} and the run's connect, login
     * and socket timeouts ({@link NetworkTimeouts#applyTo(Properties)}).
     */
    static Connection connect(String url, String user, String password, NetworkTimeouts timeouts) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "driftwatch-shadow");
        timeouts.applyTo(p);
        return DriverManager.getConnection(url, p);
    }

    /** Reads {@code server_version} (first word, e.g. {@code 15.18}) and {@code server_version_num / 10000}. */
    static Version version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'),"
                     + " current_setting('server_version_num')::int / 10000")) {
            rs.next();
            String text = rs.getString(1).trim();
            int space = text.indexOf(' ');
            return new Version(space > 0 ? text.substring(0, space) : text, rs.getInt(2));
        }
    }
}
