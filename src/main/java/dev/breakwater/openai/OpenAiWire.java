package dev.breakwater.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI chat-completion wire shapes. {@code model} is always the gateway name of the model
 * that answered, and usage is that model's own: failed attempts never appear in a completion.
 */
final class OpenAiWire {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Unique, not secret: {@code UUID.randomUUID()} draws from a SecureRandom behind one lock, which
     * thousands of concurrent completions queued on.
     */
    private final String id = "chatcmpl-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final long created;
    private final String model;
    private final ModelReply reply;

    OpenAiWire(long created, String model, ModelReply reply) {
        this.created = created;
        this.model = model;
        this.reply = reply;
    }

    String completion() {
        ObjectNode root = envelope("chat.completion");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", reply.content());
        choice.put("finish_reason", finishReason());
        usage(root);
        return root.toString();
    }

    /**
     * The whole answer as server-sent events: a role chunk, the content in word-sized pieces, a
     * finish chunk, the usage chunk when the caller asked for it, then {@code [DONE]}.
     */
    String events(boolean includeUsage) {
        StringBuilder out = new StringBuilder();
        ObjectNode first = chunk();
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant").put("content", "");
        event(out, first);
        for (String piece : pieces(reply.content())) {
            ObjectNode c = chunk();
            c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").put("content", piece);
            event(out, c);
        }
        ObjectNode finish = chunk();
        ObjectNode choice = finish.withArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason());
        event(out, finish);
        if (includeUsage) {
            ObjectNode u = chunk();
            u.putArray("choices");
            usage(u);
            event(out, u);
        }
        return out.append("data: [DONE]\n\n").toString();
    }

    static List<String> pieces(String content) {
        return content.isEmpty() ? List.of() : List.of(content.split("(?<=\\s)(?=\\S)"));
    }

    /** LangChain4j's finish reasons back in OpenAI's vocabulary. */
    private String finishReason() {
        String reason = reply.finishReason();
        if (reason == null || reason.equals("other")) {
            return "stop";
        }
        return reason.equals("tool_execution") ? "tool_calls" : reason;
    }

    private ObjectNode chunk() {
        return envelope("chat.completion.chunk");
    }

    private ObjectNode envelope(String object) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private void usage(ObjectNode root) {
        TokenUsage usage = reply.usage() == null ? TokenUsage.NONE : reply.usage();
        root.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }

    private static void event(StringBuilder out, ObjectNode chunk) {
        out.append("data: ").append(chunk.toString()).append("\n\n");
    }

    /** {@code GET /v1/models}. */
    static String modelList(List<String> ids, long created) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        ids.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", created).put("owned_by", "breakwater"));
        return root.toString();
    }
}
