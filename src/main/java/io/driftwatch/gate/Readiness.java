package io.driftwatch.gate;
/** PLACEHOLDER (helper writes it). */
public final class Readiness {
    public static java.sql.Connection await(io.driftwatch.introspect.ConnectionSpec spec, java.time.Duration wait, java.util.function.Consumer<String> checkpoint) throws io.driftwatch.audit.AuditException {
        try { return spec.connect(); } catch (java.sql.SQLException e) { throw new io.driftwatch.audit.AuditException(io.driftwatch.audit.ExitCode.UNREACHABLE, e.getMessage(), e); }
    }
}
