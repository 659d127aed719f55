package io.driftwatch.policy;

/**
 * Descriptions and fix hints of the built-in rules, read once from the classpath resource
 * {@code rules/catalog.yaml}. Placeholder until the catalog lands: every text is empty.
 */
final class RuleCatalog {
    private RuleCatalog() {
    }

    static String description(String id) {
        return "";
    }

    static String fix(String id) {
        return "";
    }
}
