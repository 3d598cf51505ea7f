package dev.breakwater.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** OpenAI Chat Completions (also what most "OpenAI-compatible" providers speak). */
final class OpenAiDialect implements Dialect {

    static final OpenAiDialect INSTANCE = new OpenAiDialect();

    private OpenAiDialect() {}

    @Override
    public String idPrefix() {
        return "chatcmpl-";
    }

    @Override
    public String completion(Reply reply) {
        ObjectNode root = envelope(reply, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", reply.content());
        choice.put("finish_reason", "stop");
        usage(root, reply.usage());
        return Json.write(root);
    }

    @Override
    public List<String> streamPreamble(Reply reply) {
        return List.of();
    }

    @Override
    public String streamDelta(Reply reply, String piece, boolean first) {
        ObjectNode root = envelope(reply, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant"); // like OpenAI: the role travels only in the first chunk
        }
        delta.put("content", piece);
        choice.putNull("finish_reason");
        return Dialect.dataEvent(Json.write(root));
    }

    @Override
    public List<String> streamTail(Reply reply, boolean terminate) {
        List<String> events = new ArrayList<>();
        ObjectNode finish = envelope(reply, "chat.completion.chunk");
        ObjectNode choice = finish.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", "stop");
        events.add(Dialect.dataEvent(Json.write(finish)));
        if (reply.includeUsage()) {
            ObjectNode usageChunk = envelope(reply, "chat.completion.chunk");
            usageChunk.putArray("choices");
            usage(usageChunk, reply.usage());
            events.add(Dialect.dataEvent(Json.write(usageChunk)));
        }
        if (terminate) {
            events.add("data: [DONE]\n\n");
        }
        return events;
    }

    /**
     * OpenAI's embeddings answer: one vector per input, as floats or (for {@code encoding_format:
     * base64}) as base64 of their float32 little-endian bytes.
     */
    String embeddings(List<float[]> vectors, String model, boolean base64, int promptTokens) {
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vectors.get(i).length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vectors.get(i)) {
                    bytes.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode vector = item.putArray("embedding");
                for (float v : vectors.get(i)) {
                    vector.add(v);
                }
            }
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return Json.write(root);
    }

    @Override
    public String malformedEvent() {
        return "data: {not json\n\n";
    }

    @Override
    public String error(Fault.Status status) {
        return error(status.message(), status.errorType(), status.errorCode());
    }

    @Override
    public String rateLimitError(int retryAfterSeconds) {
        return error("Rate limit reached for requests. Please try again in " + retryAfterSeconds + "s.",
                "requests", "rate_limit_exceeded");
    }

    private static String error(String message, String type, String code) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error").put("message", message).put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return Json.write(root);
    }

    private static ObjectNode envelope(Reply reply, String object) {
        return Json.object()
                .put("id", reply.id())
                .put("object", object)
                .put("created", reply.created())
                .put("model", reply.model());
    }

    private static void usage(ObjectNode root, Usage usage) {
        root.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }
}
