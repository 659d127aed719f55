package io.driftwatch.flyway;

import io.driftwatch.dialect.ShadowDatabase;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Flyway's connections to a shadow database, opened by {@link ShadowDatabase#connect()} (so they carry
 * the server's connect and login timeouts, the one place shadow connections are made) and then with
 * no socket timeout: a replayed migration is the user's SQL, runs under no {@code statement_timeout},
 * and may legitimately take long, as it would under Flyway against production. A server that never
 * answers is still caught at connect and login.
 */
final class ShadowDataSource implements javax.sql.DataSource {

    private static final Executor SAME_THREAD = Runnable::run;

    private final ShadowDatabase db;
    private PrintWriter logWriter;

    ShadowDataSource(ShadowDatabase db) {
        this.db = db;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = db.connect();
        try {
            c.setNetworkTimeout(SAME_THREAD, 0);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The database's own role is always used; the arguments are ignored. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Ignored: the login timeout is the shadow server's. */
    @Override
    public void setLoginTimeout(int seconds) {
        // the server's connections carry their own loginTimeout
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
