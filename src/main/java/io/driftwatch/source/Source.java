package io.driftwatch.source;

import io.driftwatch.base.Secrets;
import io.driftwatch.dialect.DatabaseTarget;
import io.driftwatch.dialect.Dialect;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a schema comes from: the one syntax every command accepts wherever a schema is expected
 * ({@code inspect SOURCE}, {@code diff --from SOURCE --to SOURCE}). Parse with {@link #parse(String)},
 * load with {@link SourceLoader#load(Source)}.
 *
 * <p>Accepted forms ({@link #FORMS}):
 * <ul>
 *   <li>a live database: {@code jdbc:postgresql://host:port/db}, {@code postgresql://user@host:port/db}
 *       or {@code postgres://...} — read only, as in {@code audit};</li>
 *   <li>a migrations folder: {@code migrations:PATH} (every script), or {@code migrations:PATH@VERSION}
 *       to stop at a version ({@code @16}, {@code @V16}, {@code @2.1}) — replayed into a shadow database;</li>
 *   <li>a snapshot file: {@code snapshot:FILE}, or any path ending in {@code .json}.</li>
 * </ul>
 * Anything else (including a bare folder path, which could be meant as migrations or as something
 * else) is refused with {@link IllegalArgumentException} whose one-line message lists the forms.
 */
public sealed interface Source {

    /** The accepted forms, as printed in error messages and help. */
    String FORMS = "jdbc:postgresql://host:port/db, postgresql://user@host:port/db, "
            + "migrations:DIR[@VERSION], snapshot:FILE.json (or any path ending in .json)";

    /** @return the source as text for messages, reports and snapshot files; never a password */
    String display();

    /**
     * A live PostgreSQL database, read in a READ ONLY transaction.
     *
     * @param spec where and as whom to connect (its {@code toString} never shows the password)
     */
    record Database(DatabaseTarget spec) implements Source {
        public Database {
            Objects.requireNonNull(spec, "spec");
        }

        @Override
        public String display() {
            return spec.display();
        }
    }

    /**
     * A Flyway migrations folder, replayed into a fresh shadow database.
     *
     * @param dir     the folder, as given
     * @param version last versioned script to replay (Flyway version text, normalised, e.g. {@code 16}
     *                or {@code 2.1}); null for all. Repeatable scripts are always replayed after the
     *                versioned ones, as Flyway does with {@code target}.
     */
    record Migrations(Path dir, String version) implements Source {
        public Migrations {
            Objects.requireNonNull(dir, "dir");
        }

        @Override
        public String display() {
            return "migrations:" + dir + (version == null ? "" : "@" + version);
        }
    }

    /**
     * A snapshot file written by {@code driftwatch inspect}.
     *
     * @param file the file, as given
     */
    record SnapshotFile(Path file) implements Source {
        public SnapshotFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String display() {
            return "snapshot:" + file;
        }
    }

    /**
     * {@link #parse(String, Map)} with the process environment ({@code PGUSER}, {@code PGPASSWORD},
     * ... fill what a database URL leaves out).
     *
     * @param text a source string
     * @return the source
     * @throws IllegalArgumentException one line naming the bad text (password masked) and listing
     *         {@link #FORMS}
     */
    static Source parse(String text, Dialect dialect) {
        return parse(text, dialect, null, null, System.getenv());
    }

    /**
     * Parses a source string.
     *
     * @param text     a source string (see the class doc)
     * @param dialect  the database engine whose URLs name live databases
     * @param user     {@code --user} for database sources whose URL has none, or null
     * @param password {@code --password} for database sources, or null; never printed
     * @param env      environment for database defaults ({@code PGUSER}, {@code PGPASSWORD}, {@code PGPORT}, ...)
     * @return the source
     * @throws IllegalArgumentException one line naming the bad text (password masked) and listing
     *         {@link #FORMS}; a malformed database URL gives the dialect's message
     */
    static Source parse(String text, Dialect dialect, String user, String password, Map<String, String> env) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty source; expected one of: " + FORMS);
        }
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (dialect.accepts(t)) {
            return new Database(dialect.target(t, user, password, env));
        }
        if (lower.startsWith("migrations:")) {
            String rest = t.substring("migrations:".length());
            String version = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0 && rest.indexOf('/', at) < 0) {
                version = rest.substring(at + 1);
                if (version.isBlank()) {
                    throw new IllegalArgumentException("source '" + t + "': nothing after @ (form: migrations:DIR[@VERSION])");
                }
                rest = rest.substring(0, at);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("source '" + t + "' names no folder (form: migrations:DIR[@VERSION])");
            }
            return new Migrations(Path.of(rest), version);
        }
        if (lower.startsWith("snapshot:")) {
            String rest = t.substring("snapshot:".length());
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("source '" + t + "' names no file (form: snapshot:FILE.json)");
            }
            return new SnapshotFile(Path.of(rest));
        }
        if (lower.endsWith(".json") && !lower.contains("://")) {
            return new SnapshotFile(Path.of(t));
        }
        String hint = lower.contains("://") || lower.startsWith("jdbc:")
                ? " (only PostgreSQL URLs are supported)"
                : !lower.contains(":") ? " (a folder of migrations is written migrations:" + t + ")" : "";
        throw new IllegalArgumentException("unknown source '" + Secrets.maskUrl(t) + "'" + hint
                + "; expected one of: " + FORMS);
    }
}
