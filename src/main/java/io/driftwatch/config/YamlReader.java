package io.driftwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML file into a {@link ConfigNode} tree that remembers lines, through Jackson's YAML
 * streaming parser ({@code jackson-dataformat-yaml}, SnakeYAML underneath). Strict: a duplicate
 * key, a second document or a top level that is not a map is an error naming the line.
 */
final class YamlReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlReader() {
    }

    /**
     * @param file    the file
     * @param display the file's name for messages
     * @return its top-level map; an empty map for an empty file
     * @throws ConfigException when the file cannot be read or is not a YAML map
     */
    static ConfigNode.Mapping read(Path file, String display) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser p = YAML.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new ConfigNode.Mapping(Map.of(), 1);
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException(display, line(p), null,
                        "the file must be a map of keys (e.g. 'url: ...'), not " + node(p, display, null).shape());
            }
            ConfigNode.Mapping root = (ConfigNode.Mapping) node(p, display, null);
            if (p.nextToken() != null) {
                throw new ConfigException(display, line(p), null, "only one YAML document is allowed (remove the '---')");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip();
            int nl = message.indexOf('\n');
            throw new ConfigException(display, at == null ? 0 : Math.max(0, at.getLineNr()), null,
                    "not valid YAML: " + (nl > 0 ? message.substring(0, nl) : message));
        } catch (IOException e) {
            throw new ConfigException(display, 0, null, "cannot be read: " + e.getMessage());
        }
    }

    /** Reads the value at the current token (a start token or a scalar). */
    private static ConfigNode node(JsonParser p, String display, String path) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p);
        switch (t) {
            case START_OBJECT -> {
                Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
                int first = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (first < 0) {
                        first = keyLine;
                    }
                    String keyPath = path == null ? key : path + "." + key;
                    p.nextToken();
                    ConfigNode value = node(p, display, keyPath);
                    ConfigNode.Entry previous = entries.putIfAbsent(key, new ConfigNode.Entry(key, keyLine, value));
                    if (previous != null) {
                        throw new ConfigException(display, keyLine, keyPath,
                                "duplicate key (first given on line " + previous.line() + ")");
                    }
                }
                return new ConfigNode.Mapping(entries, first < 0 ? line : first);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, display, (path == null ? "" : path) + "[" + (++i) + "]"));
                }
                return new ConfigNode.Sequence(items, items.isEmpty() ? line : items.get(0).line());
            }
            case VALUE_STRING -> {
                return new ConfigNode.Scalar(p.getText(), ConfigNode.Type.TEXT, line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new ConfigNode.Scalar(p.getText(), ConfigNode.Type.NUMBER, line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new ConfigNode.Scalar(p.getText(), ConfigNode.Type.BOOLEAN, line);
            }
            case VALUE_NULL -> {
                return new ConfigNode.Scalar("", ConfigNode.Type.NULL, line);
            }
            default -> throw new ConfigException(display, line, path, "unsupported YAML value (" + t + ")");
        }
    }

    private static int line(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return l == null ? 0 : l.getLineNr();
    }
}
