package io.driftwatch.testsupport;

import io.driftwatch.audit.AuditOptions;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.ShadowOptions;
import io.driftwatch.flyway.FlywayTool;
import io.driftwatch.policy.Severity;
import io.driftwatch.postgres.PostgresDialect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Audit options the tests build: a Flyway project on PostgreSQL, as the CLI would make them. */
public final class Audits {

    private Audits() {
    }

    /**
     * @param target       the audited database
     * @param migrations   Flyway locations
     * @param placeholders Flyway placeholders
     * @param shadow       shadow options
     * @param failOn       threshold
     * @param lock         lock_timeout
     * @param statement    statement_timeout
     * @return options with the default version table, every schema, no excludes
     */
    public static AuditOptions flyway(DatabaseTarget target, List<Path> migrations, Map<String, String> placeholders,
                                      ShadowOptions shadow, Severity failOn, Duration lock, Duration statement) {
        return new AuditOptions(PostgresDialect.INSTANCE, target,
                new FlywayTool(migrations, placeholders, List.of(), null, null), List.of(), List.of(), shadow,
                failOn, lock, statement);
    }
}
