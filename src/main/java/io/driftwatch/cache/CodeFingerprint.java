package io.driftwatch.cache;

import io.driftwatch.model.SchemaModel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A SHA-256 over the compiled classes and resources that decide what a replayed expected model
 * contains: the packages {@code model}, {@code introspect} (catalog reader and its {@code .sql}
 * queries), {@code snapshot} (the cache's file format), {@code migrate} (the replay) and
 * {@code shadow}. Part of the cache key, as a safety net behind {@link io.driftwatch.model.ModelVersion}:
 * a development build that changes a query but forgets to bump the version still misses the cache.
 *
 * <p>From a jar, each entry contributes its name, CRC-32 and size (read from the jar's central
 * directory, no decompression); from a classes folder, each file's relative path and bytes. Computed
 * once per JVM (a few milliseconds). When the code's location cannot be read the fingerprint is
 * {@code unknown}, and the key relies on the model and Driftwatch versions alone.
 */
public final class CodeFingerprint {

    /** Package folders whose code shapes the expected model. */
    static final List<String> PREFIXES = List.of("io/driftwatch/model/", "io/driftwatch/dialect/",
            "io/driftwatch/snapshot/", "io/driftwatch/postgres/", "io/driftwatch/flyway/");

    private static volatile String cached;

    private CodeFingerprint() {
    }

    /** @return 64 lower-case hex digits, or {@code unknown} */
    public static String get() {
        String f = cached;
        if (f == null) {
            f = compute();
            cached = f;
        }
        return f;
    }

    private static String compute() {
        try {
            URL location = SchemaModel.class.getProtectionDomain().getCodeSource().getLocation();
            Path root = Path.of(location.toURI());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(root)) {
                List<String> files = new ArrayList<>();
                for (String prefix : PREFIXES) {
                    Path dir = root.resolve(prefix);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> walk = Files.walk(dir)) {
                            walk.filter(Files::isRegularFile)
                                    .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
                        }
                    }
                }
                files.sort(null);
                for (String name : files) {
                    sha.update(name.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(root.resolve(name)));
                    sha.update((byte) 0);
                }
            } else {
                List<String> lines = new ArrayList<>();
                try (JarFile jar = new JarFile(root.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        if (!e.isDirectory() && PREFIXES.stream().anyMatch(e.getName()::startsWith)) {
                            lines.add(e.getName() + "\0" + e.getCrc() + "\0" + e.getSize());
                        }
                    }
                }
                lines.sort(null);
                for (String line : lines) {
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | URISyntaxException | RuntimeException
                 | java.security.NoSuchAlgorithmException e) {
            return "unknown";
        }
    }
}
