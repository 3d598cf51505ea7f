package dev.breakwater.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * A whole answer's bytes as the upstream sent them, and where its top-level {@code model} string sits.
 * The answer goes out with only that value replaced and every other byte as it came (numbers, escapes,
 * key order, spacing) rather than written again from its tree, which is also ~0.8 µs an answer cheaper
 * ({@code load-tests/bench.sh answer-write}).
 *
 * @param modelStart where the {@code model} value (with its quotes) begins, or -1 when the answer has none
 * @param modelEnd   just past that value
 */
public record AnswerBytes(byte[] bytes, int modelStart, int modelEnd) {

    private static final byte QUOTE = '"';

    /** The answer with {@code model} as its top-level model, when it has one; else as it came. */
    public byte[] renamed(String model) {
        if (modelStart < 0) {
            return bytes;
        }
        byte[] value = JsonStringEncoder.getInstance().quoteAsUTF8(model);
        byte[] out = new byte[bytes.length - (modelEnd - modelStart) + value.length + 2];
        System.arraycopy(bytes, 0, out, 0, modelStart);
        out[modelStart] = QUOTE;
        System.arraycopy(value, 0, out, modelStart + 1, value.length);
        out[modelStart + 1 + value.length] = QUOTE;
        System.arraycopy(bytes, modelEnd, out, modelStart + value.length + 2, bytes.length - modelEnd);
        return out;
    }

    /**
     * Reads an answer into a tree, as {@code readTree} would, noting where its model value is on the way.
     * Anything after the object fails, as it does for every body the gateway reads ({@code StrictJson}).
     * {@link Read#bytes} is null when the bytes cannot go out as they came: not an object, a model that is
     * not a string or is given twice. Such an answer is written from its tree.
     */
    public static Read read(ObjectMapper json, byte[] bytes) throws IOException {
        ObjectReader values = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Read(json.readTree(bytes), null);
            }
            ObjectNode root = json.createObjectNode();
            int start = -1;
            int end = -1;
            boolean plain = true;
            JsonToken field;
            while ((field = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("model") && value == JsonToken.VALUE_STRING) {
                    plain &= start < 0;
                    start = (int) p.currentTokenLocation().getByteOffset();
                    root.put(name, p.getText());
                    end = (int) p.currentLocation().getByteOffset();
                } else {
                    plain &= !name.equals("model");
                    JsonNode node = values.readTree(p);
                    root.set(name, node == null ? NullNode.getInstance() : node);
                }
            }
            if (field != JsonToken.END_OBJECT) {
                throw new IOException("the answer's JSON object is not closed");
            }
            if (p.nextToken() != null) {
                throw new IOException("the answer goes on after its JSON object");
            }
            return new Read(root, plain ? new AnswerBytes(bytes, start, end) : null);
        }
    }

    /** An answer's tree, and its bytes when they can go out as they came (else null). */
    public record Read(JsonNode tree, AnswerBytes bytes) {
    }
}
