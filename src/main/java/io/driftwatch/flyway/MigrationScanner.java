package io.driftwatch.flyway;

import io.driftwatch.tool.MigrationException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resolver.sql.SqlMigrationResolver;
import org.flywaydb.core.internal.resource.ResourceName;
import org.flywaydb.core.internal.resource.ResourceNameParser;
import org.flywaydb.core.internal.scanner.Scanner;
import org.flywaydb.core.internal.sqlscript.SqlScriptFactory;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds Flyway SQL migrations in filesystem folders and resolves them <em>through Flyway's own
 * resolver</em> ({@code SqlMigrationResolver} of flyway-core 13.12.0, PostgreSQL parser), so that names,
 * descriptions, script paths and checksums are exactly those Flyway writes into
 * {@code flyway_schema_history}:
 * <ul>
 *   <li>{@code V<version>__<description>.sql} (version parts separated by {@code .} or {@code _}) and
 *       {@code R__<description>.sql}; folders are scanned recursively, following symbolic links as Flyway
 *       does (a link looping back into its own folder is refused before Flyway would follow it forever);</li>
 *   <li>{@code script} is the path relative to its location with {@code /} separators
 *       ({@code V1__init.sql}, {@code sub/V2__more.sql}), as Flyway 13 stores it;</li>
 *   <li>checksum: CRC32 over each line's UTF-8 bytes, line breaks dropped, BOM stripped, as an
 *       {@code int} (Flyway's {@code ChecksumCalculator}); repeatable scripts are checksummed after
 *       placeholder replacement, versioned scripts over their raw text;</li>
 *   <li>undo scripts ({@code U<version>__...sql}) and SQL callbacks ({@code beforeMigrate.sql}, ...)
 *       are skipped, sidecar {@code <script>.conf} files are honoured (e.g. {@code placeholderReplacement=false}).</li>
 * </ul>
 * Built-in placeholders that need a live database are given fixed values here:
 * {@code flyway:defaultSchema} = {@code public}, {@code flyway:table} = {@code flyway_schema_history},
 * {@code flyway:environment} = {@code default}, {@code flyway:workingDirectory} = the JVM's working directory;
 * pass a key starting with {@code flyway:} in the placeholder map to override one (e.g. the configured
 * default schema). {@code flyway:user}, {@code flyway:database} and {@code flyway:timestamp} are not
 * available: a repeatable script using them fails to scan.
 */
public final class MigrationScanner {

    private static final Pattern UNDO = Pattern.compile("U\\d[0-9._]*__.*");
    private static final String SUFFIX = ".sql";

    /** Creates a scanner; it holds no state between calls. */
    public MigrationScanner() {
    }

    /**
     * Scans the given folders.
     *
     * @param locations    migration folders (relative paths resolve against the working directory);
     *                     at least one
     * @param placeholders Flyway placeholders ({@code ${key}} in scripts), as configured for the project;
     *                     keys starting with {@code flyway:} override the built-in ones described above
     * @return versioned scripts in version order, then repeatables by description;
     *         {@link MigrationSet#locations()} holds the locations as given
     * @throws MigrationException one line: {@code migrations folder X does not exist},
     *         {@code no Flyway migrations (V__/R__ .sql) found in X}, a misnamed file (with Flyway's reason),
     *         two files with the same version or repeatable description (naming both), a script that is not
     *         valid UTF-8 (naming the file, the first bad byte, its offset and line), a symbolic link that loops
     *         back into a folder containing it (naming the link), or a file Flyway cannot read (e.g. an unknown
     *         placeholder in a repeatable)
     */
    public MigrationSet scan(List<Path> locations, Map<String, String> placeholders) throws MigrationException {
        if (locations.isEmpty()) {
            throw new MigrationException("no migrations folder given");
        }
        Map<String, String> userPlaceholders = new LinkedHashMap<>();
        Map<String, String> builtIn = new HashMap<>();
        builtIn.put("flyway:defaultSchema", "public");
        builtIn.put("flyway:table", "flyway_schema_history");
        builtIn.put("flyway:environment", "default");
        builtIn.put("flyway:workingDirectory", System.getProperty("user.dir"));
        placeholders.forEach((k, v) -> {
            if (k.startsWith("flyway:")) {
                builtIn.put(k, v);
            } else {
                userPlaceholders.put(k, v);
            }
        });

        List<ResolvedMigration> all = new ArrayList<>();
        for (Path location : locations) {
            all.addAll(scanOne(location, userPlaceholders, builtIn));
        }
        checkDuplicates(all);
        List<ResolvedMigration> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(ResolvedMigration::repeatable)
                .thenComparing((a, b) -> a.repeatable()
                        ? a.description().compareTo(b.description())
                        : Versions.compare(a.version(), b.version())));
        return new MigrationSet(locations.stream().map(Path::toString).toList(), sorted);
    }

    private List<ResolvedMigration> scanOne(Path location, Map<String, String> placeholders,
                                            Map<String, String> builtIn) throws MigrationException {
        if (!Files.exists(location)) {
            throw new MigrationException("migrations folder " + location + " does not exist");
        }
        if (!Files.isDirectory(location)) {
            throw new MigrationException("migrations folder " + location + " is not a folder");
        }
        Path root = location.toAbsolutePath().normalize();
        FluentConfiguration config = new FluentConfiguration(MigrationScanner.class.getClassLoader())
                .loggers(QuietFlywayLogCreator.class.getName())
                .locations("filesystem:" + root)
                .placeholders(placeholders)
                .validateMigrationNaming(true)
                .failOnMissingLocations(true);
        List<Path> sqlFiles = sqlFiles(root, location);
        ResourceNameParser parser = new ResourceNameParser(config);
        int candidates = 0;
        for (Path file : sqlFiles) {
            String name = file.getFileName().toString();
            if (UNDO.matcher(name).matches()) {
                continue;
            }
            ResourceName parsed = parser.parse(name);
            if (!parsed.isValid()) {
                throw new MigrationException("misnamed migration file " + root.relativize(file) + " in " + location
                        + ": " + firstLine(parsed.getValidityMessage())
                        + " (expected V<version>__<description>.sql or R__<description>.sql)");
            }
            if ("V".equals(parsed.getPrefix()) || "R".equals(parsed.getPrefix())) {
                candidates++;
                checkUtf8(file, root, location);
            }
        }
        if (candidates == 0) {
            throw new MigrationException("no Flyway migrations (V__/R__ .sql) found in " + location);
        }
        try {
            ParsingContext parsingContext = new ParsingContext();
            parsingContext.getPlaceholders().putAll(builtIn);
            Scanner<JavaMigration> scanner = new Scanner<>(JavaMigration.class, config, config.getLocations());
            SqlScriptFactory scripts = new PostgreSQLDatabaseType().createSqlScriptFactory(config, parsingContext);
            SqlMigrationResolver resolver = new SqlMigrationResolver(scanner,
                    (connection, undo, batch, outputQueryResults) -> {
                        throw new IllegalStateException("scanned migrations are not executed");
                    },
                    scripts, config, parsingContext);
            List<ResolvedMigration> out = new ArrayList<>();
            for (org.flywaydb.core.api.resolver.ResolvedMigration m
                    : resolver.resolveMigrations(new MigrationResolver.Context(config, scanner, scripts, null, null))) {
                boolean repeatable = m.getVersion() == null;
                out.add(new ResolvedMigration(
                        repeatable ? null : m.getVersion().getVersion(),
                        m.getDescription(),
                        m.getScript().replace('\\', '/'),
                        m.getChecksum(),
                        repeatable,
                        m.getPhysicalLocation()));
            }
            return out;
        } catch (FlywayException e) {
            throw new MigrationException("cannot read migrations in " + location + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Lists the {@code .sql} files under {@code root} following symbolic links, as Flyway's file-system
     * scanner does; a link that leads back to one of its own parent folders is refused here, because
     * Flyway's scanner would follow it without end (until the JVM runs out of memory).
     */
    private static List<Path> sqlFiles(Path root, Path location) throws MigrationException {
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw listingFailed(root, location, e.getCause());
        } catch (IOException e) {
            throw listingFailed(root, location, e);
        }
    }

    private static MigrationException listingFailed(Path root, Path location, IOException e) {
        if (e instanceof FileSystemLoopException loop) {
            Path link = Path.of(loop.getFile());
            String target;
            try {
                target = " -> " + link.toRealPath();
            } catch (IOException | RuntimeException ignored) {
                target = "";
            }
            return new MigrationException("symbolic link loop in migrations folder " + location + ": "
                    + root.relativize(link.toAbsolutePath()) + target + " leads back into a folder that contains it;"
                    + " remove the link or point it elsewhere", e);
        }
        return new MigrationException("cannot list migrations folder " + location + ": " + e, e);
    }

    /**
     * Refuses a script that is not valid UTF-8 (Flyway's default {@code encoding}, the only one Driftwatch
     * reads), naming the first bad byte: Flyway's own error only says it cannot calculate the checksum.
     */
    private static void checkUtf8(Path file, Path root, Path location) throws MigrationException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MigrationException("cannot read migration " + root.relativize(file) + " in " + location + ": "
                    + e, e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            return;
        }
        int offset = in.position();
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        throw new MigrationException(String.format(Locale.ROOT, "migration %s in %s is not valid UTF-8"
                        + " (byte 0x%02X at offset %d, line %d); Driftwatch reads scripts as UTF-8, Flyway's default"
                        + " encoding: save it as UTF-8 (e.g. iconv -f ISO-8859-1 -t UTF-8) and drop Flyway's encoding"
                        + " setting if the project has one (Flyway checksums the decoded text: checksums stay the same)",
                root.relativize(file), location, bytes[offset] & 0xff, offset, line));
    }

    private static void checkDuplicates(List<ResolvedMigration> all) throws MigrationException {
        Map<String, ResolvedMigration> seen = new HashMap<>();
        for (ResolvedMigration m : all) {
            String key = m.repeatable() ? "R " + m.description() : "V" + Versions.normalize(m.version());
            ResolvedMigration other = seen.putIfAbsent(key, m);
            if (other != null) {
                String what = m.repeatable() ? "repeatable migration '" + m.description() + "'" : "version " + m.version();
                throw new MigrationException("duplicate " + what + ": " + other.physicalPath() + " and "
                        + m.physicalPath());
            }
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).strip();
    }
}
