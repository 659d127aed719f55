package io.driftwatch.alembic;

import io.driftwatch.dialect.ShadowDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The tracker sample project (fixtures/alembic/tracker) and temporary copies of it, for tests. */
final class AlembicFixture {

    static final Path TRACKER = Path.of(System.getProperty("driftwatch.projectDir", "."))
            .resolve("fixtures/alembic/tracker").toAbsolutePath().normalize();

    private AlembicFixture() {
    }

    static AlembicConfig tracker() {
        return new AlembicConfig(TRACKER.resolve("alembic.ini"), null, null);
    }

    /** A copy of the tracker project under {@code parent}, without __pycache__ folders. */
    static Path copy(Path parent) throws IOException {
        Path target = parent.resolve("tracker");
        try (Stream<Path> files = Files.walk(TRACKER)) {
            for (Path p : files.sorted().toList()) {
                if (p.toString().contains("__pycache__")) {
                    continue;
                }
                Path t = target.resolve(TRACKER.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The SQLAlchemy URL (with the server's password) of a test database. */
    static String url(ShadowDatabase db) {
        return SqlAlchemyUrl.fromJdbc(db.jdbcUrl(), db.server().user(), db.server().password());
    }
}
