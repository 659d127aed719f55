package io.driftwatch.flyway;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * A Flyway {@link LogCreator} that discards every message, so Flyway's own chatter (banner, "Successfully
 * applied", statement results) never reaches the user's console. Selected per configuration with
 * {@code FluentConfiguration.loggers(QuietFlywayLogCreator.class.getName())}; Flyway instantiates it by
 * reflection, hence the public no-argument constructor. Errors are not lost: Flyway reports them as
 * exceptions, which {@link Replayer} and {@link MigrationScanner} turn into one-line messages.
 */
public final class QuietFlywayLogCreator implements LogCreator {

    private static final Log SILENT = new Log() {
        @Override
        public void debug(String message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message) {
        }

        @Override
        public void error(String message, Exception e) {
        }

        @Override
        public void notice(String message) {
        }
    };

    /** Public for Flyway's reflective instantiation. */
    public QuietFlywayLogCreator() {
    }

    /** @return a logger that drops everything, whatever the class */
    @Override
    public Log createLogger(Class<?> clazz) {
        return SILENT;
    }
}
