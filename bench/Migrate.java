import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies a migrations folder with Flyway, for {@code scripts/bench} (docs/benchmarks.md). Runs with
 * the JDK's source launcher on Driftwatch's own runtime classpath (Flyway, the PostgreSQL driver):
 *
 * <pre>
 *   java -cp 'target/lib/*' bench/Migrate.java JDBC_URL USER DIR
 * </pre>
 *
 * Prints one line (migrations applied, seconds); Flyway's own errors end the process with exit 1.
 */
public final class Migrate {

    /**
     * @param args JDBC URL, user (empty password: the bench server trusts local connections), folder
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: java -cp 'target/lib/*' bench/Migrate.java JDBC_URL USER DIR");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long t0 = System.nanoTime();
        MigrateResult r = Flyway.configure().dataSource(args[0], args[1], "")
                .locations("filesystem:" + args[2]).validateMigrationNaming(true)
                .load().migrate();
        System.out.printf("migrated %d scripts in %.1f s%n", r.migrationsExecuted, (System.nanoTime() - t0) / 1e9);
    }
}
