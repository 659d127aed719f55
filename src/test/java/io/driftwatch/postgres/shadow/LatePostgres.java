package io.driftwatch.postgres.shadow;

import io.driftwatch.dialect.NetworkTimeouts;
import io.driftwatch.dialect.ShadowServer;
import io.driftwatch.dialect.ShadowUnavailableException;
import java.util.List;
import java.util.Optional;

/**
 * Test support: starts a throwaway local PostgreSQL (installed binaries, as {@link LocalPostgresServer})
 * on a port chosen by the test, so a test can make a server appear late on a port a client is
 * already polling.
 */
public final class LatePostgres {

    private LatePostgres() {
    }

    /**
     * @param port     TCP port on 127.0.0.1 (must be free)
     * @param password password of the superuser {@code postgres}
     * @return the running server (the caller closes it, which stops it and deletes its files)
     * @throws ShadowUnavailableException when no binaries are installed or the server did not start
     */
    public static ShadowServer startOn(int port, String password) throws ShadowUnavailableException {
        List<LocalBinaries> found = LocalBinaries.discover(System.getenv());
        Optional<LocalBinaries> b = LocalBinaries.choose(found, 15);
        if (b.isEmpty()) {
            throw new ShadowUnavailableException("local: no PostgreSQL binaries in " + LocalBinaries.SEARCHED, null);
        }
        return LocalPostgresServer.start(b.get(), port, password, io.driftwatch.dialect.NetworkTimeouts.DEFAULTS);
    }
}
