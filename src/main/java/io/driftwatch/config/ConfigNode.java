package io.driftwatch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of {@code driftwatch.yaml}, with the line it starts on so every error can name it.
 * A small tree of three shapes: {@link Scalar} (text, number, boolean, null), {@link Sequence}
 * (a YAML list) and {@link Mapping} (a YAML map, keys in file order). Immutable.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Sequence, ConfigNode.Mapping {

    /** @return 1-based line of the file where this value starts */
    int line();

    /** @return what the value is, for messages: {@code a list}, {@code a map} or {@code a single value} */
    String shape();

    /** What YAML made of a scalar (YAML 1.1 words such as {@code yes}, {@code off} are booleans). */
    enum Type { TEXT, NUMBER, BOOLEAN, NULL }

    /**
     * @param text the scalar exactly as written (without quotes): {@code off} stays {@code off}
     * @param type what YAML read it as
     * @param line 1-based line
     */
    record Scalar(String text, Type type, int line) implements ConfigNode {
        @Override
        public String shape() {
            return "a single value";
        }

        /** @return true for {@code ~}, {@code null} or an empty value */
        public boolean isNull() {
            return type == Type.NULL;
        }
    }

    /**
     * @param items the list's values, in order
     * @param line  1-based line of the list's first item (or of {@code [})
     */
    record Sequence(List<ConfigNode> items, int line) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String shape() {
            return "a list";
        }
    }

    /**
     * @param key   the key as written
     * @param line  1-based line of the key
     * @param value its value
     */
    record Entry(String key, int line, ConfigNode value) {
    }

    /**
     * @param entries the map's entries by key, in file order (keys are unique: duplicates are an error
     *                when reading)
     * @param line    1-based line of the first key
     */
    record Mapping(Map<String, Entry> entries, int line) implements ConfigNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String shape() {
            return "a map";
        }
    }
}
