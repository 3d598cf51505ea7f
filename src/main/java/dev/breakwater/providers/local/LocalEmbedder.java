package dev.breakwater.providers.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.EmbeddingsUpstream;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The offline embeddings tier: the bundled MiniLM model, answering in OpenAI's embeddings shape.
 * Vectors are MiniLM's own (384 floats, unit length); with {@code encoding_format: base64} each is
 * its float32 values, little-endian, base64-encoded, as OpenAI sends them. Token counts are the
 * model tokenizer's WordPiece tokens, as LangChain4j reports them. It shares the local model's
 * breaker with its categorization answers.
 */
public final class LocalEmbedder implements EmbeddingsUpstream {

    public static final int DIMENSIONS = 384;

    private final EmbeddingModel model;
    private final String name;
    private final JsonFactory json;
    private final Bulkhead bulkhead;

    /**
     * @param name     the model's gateway name, reported as the answer's {@code model}
     * @param bulkhead the local model's, shared with categorization: both are inference on the same cores
     */
    public LocalEmbedder(EmbeddingModel model, String name, JsonFactory json, Bulkhead bulkhead) {
        this.model = model;
        this.name = name;
        this.json = json;
        this.bulkhead = bulkhead;
    }

    /** Why this model cannot answer the request as asked, if it cannot; the gateway refuses such a request before any call. */
    public static Optional<String> unsupported(EmbeddingRequest request) {
        if (request.texts().isEmpty()) {
            return Optional.of("input: the local model embeds text, not token ids");
        }
        if (request.texts().get().stream().anyMatch(String::isBlank)) {
            return Optional.of("input: the local model cannot embed a blank text");
        }
        if (request.dimensions().filter(d -> d != DIMENSIONS).isPresent()) {
            return Optional.of("dimensions: the local model's vectors always have " + DIMENSIONS + " dimensions");
        }
        return Optional.empty();
    }

    @Override
    public EmbeddingReply embed(EmbeddingRequest request) {
        unsupported(request).ifPresent(why -> {
            throw new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED, why));
        });
        List<TextSegment> texts = request.texts().orElseThrow().stream().map(TextSegment::from).toList();
        Response<List<Embedding>> out = bulkhead.run(() -> model.embedAll(texts));
        int tokens = out.tokenUsage() == null || out.tokenUsage().inputTokenCount() == null ? 0 : out.tokenUsage().inputTokenCount();
        return new EmbeddingReply(write(out.content(), request.base64(), tokens), out.content().size(), new TokenUsage(tokens, 0));
    }

    private byte[] write(List<Embedding> vectors, boolean base64, int tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(vectors.size() * DIMENSIONS * 12 + 128);
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                float[] vector = vectors.get(i).vector();
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                if (base64) {
                    g.writeString(base64(vector));
                } else {
                    g.writeStartArray();
                    for (float v : vector) {
                        g.writeNumber(v);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", name);
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", tokens);
            g.writeNumberField("total_tokens", tokens);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String base64(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
