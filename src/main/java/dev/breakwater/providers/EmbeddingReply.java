package dev.breakwater.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * A model's embeddings answer: the JSON body to hand the caller as it is, with what the gateway reads
 * from it. {@code vectors} is -1 when the body is not an OpenAI embeddings list.
 */
public record EmbeddingReply(byte[] body, int vectors, TokenUsage usage) {

    /**
     * Reads an OpenAI-shaped answer without building it as a tree: a batch of 1536-float vectors is
     * megabytes of numbers the gateway only needs to count.
     */
    public static EmbeddingReply read(byte[] body, JsonFactory json) {
        int vectors = -1;
        int promptTokens = 0;
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new EmbeddingReply(body, -1, TokenUsage.NONE);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field) && value == JsonToken.START_ARRAY) {
                    vectors = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        vectors += hasEmbedding(p) ? 1 : 0;
                    }
                } else if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        if ("prompt_tokens".equals(name) && p.currentToken().isNumeric()) {
                            promptTokens = p.getIntValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException notJson) {
            return new EmbeddingReply(body, -1, TokenUsage.NONE);
        }
        return new EmbeddingReply(body, vectors, new TokenUsage(promptTokens, 0));
    }

    /** One element of {@code data}: counts when it is an object holding an {@code embedding} (floats or base64). */
    private static boolean hasEmbedding(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean found = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            found |= "embedding".equals(name) && (value == JsonToken.START_ARRAY || value == JsonToken.VALUE_STRING);
            p.skipChildren();
        }
        return found;
    }
}
