package io.driftwatch.snapshot;

import io.driftwatch.model.SchemaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming fast path of the snapshot reader ({@link SnapshotStreamReader}): it reads every
 * file {@link SnapshotCodec} writes into the same snapshot as the tree reader, and gives up (so the
 * tree reader words the error) on every truncation and every file it does not handle.
 */
class SnapshotStreamReaderTest {

    private static String text(SchemaModel m) {
        return SnapshotCodec.write(Snapshot.of(m, "postgresql://app@db/shop", Instant.parse("2024-05-01T10:15:30Z")));
    }

    @Test
    void fastPathReadsWhatTheCodecWritesExactlyAsTheTreeReaderDoes() throws Exception {
        for (SchemaModel m : List.of(SnapshotCodecTest.richModel(), SnapshotCodecTest.formatOneModel(), SchemaModel.empty())) {
            String json = text(m);
            Snapshot tree = SnapshotCodec.parseTree(json, "s");
            assertEquals(m, tree.model());
            assertEquals(tree, SnapshotStreamReader.read(json));
            assertEquals(tree, SnapshotStreamReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void everyTruncationIsRefusedByBothReaders() {
        String json = text(SnapshotCodecTest.richModel());
        int end = json.lastIndexOf('}') + 1; // cutting only the final newline leaves a whole document
        for (int cut = 0; cut < end; cut++) {
            String part = json.substring(0, cut);
            assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(part), "cut at " + cut);
            assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(part, "s"), "cut at " + cut);
        }
    }

    /** Files the fast path leaves to the tree reader: still read, or refused with the tree reader's words. */
    @Test
    void filesTheFastPathDoesNotTakeAreReadOrRefusedAsBefore() throws Exception {
        SchemaModel model = SnapshotCodecTest.richModel();
        String json = text(model);

        // formatVersion not first (hand-edited): read all the same
        String moved = json.replaceFirst("\\{\n  \"formatVersion\" : 2,\n", "{\n")
                .replaceFirst("\n  \"model\" :", "\n  \"formatVersion\" : 2,\n  \"model\" :");
        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(moved));
        assertEquals(model, SnapshotCodec.read(moved));

        // a duplicate field, an unknown field, content after the document: refused, worded by the tree reader
        String duplicate = json.replaceFirst("\"name\" : \"orders\",", "\"name\" : \"orders\", \"name\" : \"x\",");
        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(duplicate));
        SnapshotException dup = assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(duplicate, "s"));
        assertTrue(dup.getMessage().startsWith("s is not valid JSON: Duplicate field 'name'"), dup.getMessage());

        String unknown = json.replaceFirst("\"partitioned\" :", "\"comment\" : null, \"partitioned\" :");
        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(unknown));
        SnapshotException unk = assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(unknown, "s"));
        assertTrue(unk.getMessage().matches("s: model\\.tables\\[\\d]\\.comment is not a field of snapshot formatVersion 2"),
                unk.getMessage());

        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(json + "{}"));

        // a wrong constant, a string where a number belongs
        String kind = json.replaceFirst("\"identity\" : \"always\"", "\"identity\" : \"sometimes\"");
        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(kind));
        assertTrue(assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(kind, "s")).getMessage()
                .contains(".identity \"sometimes\" is not one of none, always, by_default"));
        String number = json.replaceFirst("\"position\" : 1,", "\"position\" : \"1\",");
        assertThrows(SnapshotStreamReader.Fallback.class, () -> SnapshotStreamReader.read(number));
        assertTrue(assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(number, "s")).getMessage()
                .contains(".position is not a whole number in the 64-bit range"));
    }

    @Test
    void theHashIsCheckedUnlessTheCallerSaysNot(@TempDir Path dir) throws Exception {
        SchemaModel model = SnapshotCodecTest.richModel();
        String json = text(model);
        String hash = Snapshot.of(model, "x", null).contentHash();
        String edited = json.replace(hash, "sha256:" + "0".repeat(64));
        Path file = dir.resolve("edited.json");
        Files.writeString(file, edited);
        SnapshotException e = assertThrows(SnapshotException.class, () -> SnapshotCodec.readSnapshot(file));
        assertTrue(e.getMessage().startsWith("snapshot " + file + ": contentHash sha256:000"), e.getMessage());
        assertThrows(SnapshotException.class, () -> SnapshotCodec.parse(edited, "s"));
        assertEquals(model, SnapshotCodec.readSnapshot(file, false).model());
    }

    @Test
    void invalidUtf8IsWordedByTheTreeReader(@TempDir Path dir) throws Exception {
        byte[] bytes = text(SchemaModel.empty()).replace("shop", "sh\u00f6p").getBytes(StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("latin1.json");
        Files.write(file, bytes);
        assertEquals("snapshot " + file + " is not UTF-8 text",
                assertThrows(SnapshotException.class, () -> SnapshotCodec.readSnapshot(file, false)).getMessage());
    }
}
