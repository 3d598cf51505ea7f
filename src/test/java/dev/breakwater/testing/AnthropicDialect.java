package dev.breakwater.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Anthropic Messages API. */
final class AnthropicDialect implements Dialect {

    static final AnthropicDialect INSTANCE = new AnthropicDialect();

    private AnthropicDialect() {}

    @Override
    public String idPrefix() {
        return "msg_";
    }

    @Override
    public String completion(Reply reply) {
        ObjectNode root = message(reply);
        root.putArray("content").addObject().put("type", "text").put("text", reply.content());
        root.put("stop_reason", "end_turn");
        root.putNull("stop_sequence");
        root.putObject("usage")
                .put("input_tokens", reply.usage().promptTokens())
                .put("output_tokens", reply.usage().completionTokens());
        return Json.write(root);
    }

    @Override
    public List<String> streamPreamble(Reply reply) {
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = message(reply);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // Like the real API: input tokens are known up front, output tokens only in message_delta.
        message.putObject("usage").put("input_tokens", reply.usage().promptTokens()).put("output_tokens", 1);
        start.set("message", message);

        ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");

        return List.of(
                Dialect.namedEvent("message_start", Json.write(start)),
                Dialect.namedEvent("content_block_start", Json.write(blockStart)));
    }

    @Override
    public String streamDelta(Reply reply, String piece, boolean first) {
        ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        return Dialect.namedEvent("content_block_delta", Json.write(delta));
    }

    @Override
    public List<String> streamTail(Reply reply, boolean terminate) {
        List<String> events = new ArrayList<>();
        events.add(Dialect.namedEvent("content_block_stop",
                Json.write(Json.object().put("type", "content_block_stop").put("index", 0))));
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", reply.usage().completionTokens());
        events.add(Dialect.namedEvent("message_delta", Json.write(messageDelta)));
        if (terminate) {
            events.add(Dialect.namedEvent("message_stop", Json.write(Json.object().put("type", "message_stop"))));
        }
        return events;
    }

    @Override
    public String malformedEvent() {
        return "event: content_block_delta\ndata: {not json\n\n";
    }

    @Override
    public String error(Fault.Status status) {
        return error(status.anthropicErrorType(), status.message());
    }

    @Override
    public String rateLimitError(int retryAfterSeconds) {
        return error("rate_limit_error",
                "This request would exceed your organization's rate limit. Please retry after "
                        + retryAfterSeconds + "s.");
    }

    private static String error(String type, String message) {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return Json.write(root);
    }

    private static ObjectNode message(Reply reply) {
        return Json.object()
                .put("id", reply.id())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", reply.model());
    }
}
