package bench;

import schemacrawler.inclusionrule.RegularExpressionInclusionRule;
import schemacrawler.schema.Catalog;
import schemacrawler.schema.Table;
import schemacrawler.schemacrawler.LimitOptionsBuilder;
import schemacrawler.schemacrawler.LoadOptionsBuilder;
import schemacrawler.schemacrawler.SchemaCrawlerOptions;
import schemacrawler.schemacrawler.SchemaCrawlerOptionsBuilder;
import schemacrawler.schemacrawler.SchemaInfoLevelBuilder;
import schemacrawler.tools.utility.SchemaCrawlerUtility;
import us.fatehi.utility.datasource.DatabaseConnectionSource;
import us.fatehi.utility.datasource.DatabaseConnectionSources;
import us.fatehi.utility.datasource.MultiUseUserCredentials;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SchemaCrawler peer of {@code scripts/bench} (docs/benchmarks.md): one crawl of a PostgreSQL
 * database at SchemaCrawler's <em>standard</em> info level (tables, columns, primary and foreign
 * keys, indexes, views, routines, sequences), limited to schemas matching a regular expression.
 *
 * <pre>
 *   java -cp 'target/schemacrawler-bench.jar:target/lib/*' bench.SchemaCrawlerBench JDBC_URL USER SCHEMA_REGEX
 * </pre>
 *
 * Prints one line: tables, columns and indexes seen, and the in-process crawl time in milliseconds
 * ({@code crawl-ms=N}). Errors end the process with a stack trace (a benchmark tool, not a product).
 */
public final class SchemaCrawlerBench {

    private SchemaCrawlerBench() {
    }

    /**
     * @param args JDBC URL, user (empty password), schema regular expression (e.g. {@code public} or {@code s\d+})
     * @throws Exception whatever SchemaCrawler throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SchemaCrawlerBench JDBC_URL USER SCHEMA_REGEX");
            System.exit(2);
        }
        Logger.getLogger("").setLevel(Level.SEVERE);
        Logger.getLogger("schemacrawler").setLevel(Level.SEVERE);
        Logger.getLogger("us.fatehi").setLevel(Level.SEVERE);
        long t0 = System.nanoTime();
        SchemaCrawlerOptions options = SchemaCrawlerOptionsBuilder.newSchemaCrawlerOptions()
                .withLimitOptions(LimitOptionsBuilder.builder()
                        .includeSchemas(new RegularExpressionInclusionRule(args[2])).toOptions())
                .withLoadOptions(LoadOptionsBuilder.builder()
                        .withSchemaInfoLevel(SchemaInfoLevelBuilder.standard()).toOptions());
        DatabaseConnectionSource source = DatabaseConnectionSources.newDatabaseConnectionSource(args[0],
                new MultiUseUserCredentials(args[1], ""));
        Catalog catalog = SchemaCrawlerUtility.getCatalog(source, options);
        long columns = 0;
        long indexes = 0;
        for (Table t : catalog.getTables()) {
            columns += t.getColumns().size();
            indexes += t.getIndexes().size();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("schemacrawler: %d tables, %d columns, %d indexes; crawl-ms=%d%n",
                catalog.getTables().size(), columns, indexes, ms);
        source.close();
    }
}
