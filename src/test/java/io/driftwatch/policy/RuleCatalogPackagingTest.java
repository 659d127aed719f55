package io.driftwatch.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A jar without {@code rules/catalog.yaml}, or with one that disagrees with {@link Rule}, is a
 * packaging bug: the first use of a rule's text fails with a message naming the resource and the
 * problem. Each case loads the compiled policy classes in a class loader of its own, next to a
 * catalog (or none) made for the case, so the real classpath is untouched.
 */
class RuleCatalogPackagingTest {

    /** @return the cause of the failure of {@code Rule.DW101.description()} under the given catalog */
    private static Throwable firstUseFails(Path dir, String catalog) throws Exception {
        Path classes = Path.of(Rule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = dir.resolve("classes");
        Path policy = classes.resolve("io/driftwatch/policy");
        try (Stream<Path> files = Files.list(policy)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                Path to = copy.resolve("io/driftwatch/policy").resolve(f.getFileName().toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        if (catalog != null) {
            Files.createDirectories(copy.resolve("rules"));
            Files.writeString(copy.resolve("rules/catalog.yaml"), catalog, StandardCharsets.UTF_8);
        }
        List<URL> urls = new ArrayList<>();
        urls.add(copy.toUri().toURL());
        for (Class<?> c : List.of(com.fasterxml.jackson.dataformat.yaml.YAMLMapper.class,
                com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonParser.class,
                com.fasterxml.jackson.annotation.JsonProperty.class, org.yaml.snakeyaml.Yaml.class)) {
            urls.add(c.getProtectionDomain().getCodeSource().getLocation());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> rule = loader.loadClass("io.driftwatch.policy.Rule");
            Object dw101 = rule.getField("DW101").get(null);
            assertEquals("extra-index", rule.getMethod("slug").invoke(dw101), "the constants work without the catalog");
            Method description = rule.getMethod("description");
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> description.invoke(dw101));
            assertInstanceOf(ExceptionInInitializerError.class, e.getCause());
            return e.getCause().getCause();
        }
    }

    @Test
    void missingCatalogFailsAtFirstUse(@TempDir Path dir) throws Exception {
        Throwable cause = firstUseFails(dir, null);
        assertInstanceOf(IllegalStateException.class, cause);
        assertEquals("rules/catalog.yaml is missing from the classpath: the build did not package the rule catalog "
                + "(see the rules/** resource in pom.xml)", cause.getMessage());
    }

    @Test
    void catalogThatDisagreesWithJavaFailsAtFirstUse(@TempDir Path dir) throws Exception {
        String real = Files.readString(Path.of(System.getProperty("driftwatch.projectDir", "."))
                .resolve("rules/catalog.yaml"), StandardCharsets.UTF_8);
        Throwable cause = firstUseFails(dir, real.replace("    name: extra-index\n", "    name: stray-index\n"));
        assertInstanceOf(IllegalStateException.class, cause);
        assertTrue(cause.getMessage().startsWith("classpath:rules/catalog.yaml disagrees with io.driftwatch.policy.Rule: "
                + "DW101: name is 'stray-index'"), cause.getMessage());
    }

    @Test
    void malformedCatalogFailsAtFirstUse(@TempDir Path dir) throws Exception {
        Throwable cause = firstUseFails(dir, "format: 1\nrules:\n  - id: DW101\n");
        assertInstanceOf(IllegalStateException.class, cause);
        assertTrue(cause.getMessage().startsWith("classpath:rules/catalog.yaml: rule #1 (DW101): 'name' is missing"),
                cause.getMessage());
    }
}
