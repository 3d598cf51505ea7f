package dev.breakwater.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
        ArrayNode content = root.putArray("content");
        if (hasText(reply)) {
            content.addObject().put("type", "text").put("text", reply.content());
        }
        for (ToolCall call : reply.toolCalls()) {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .set("input", Json.parseOrMissing(call.arguments()));
        }
        root.put("stop_reason", stopReason(reply));
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
        List<String> events = new ArrayList<>();
        events.add(Dialect.namedEvent("message_start", Json.write(start)));
        if (hasText(reply)) {
            ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            events.add(Dialect.namedEvent("content_block_start", Json.write(blockStart)));
        }
        return events;
    }

    /** Empty (nothing to send) when the answer is tool calls only. */
    @Override
    public String streamDelta(Reply reply, String piece, boolean first) {
        if (!hasText(reply)) {
            return "";
        }
        ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        return Dialect.namedEvent("content_block_delta", Json.write(delta));
    }

    /** Tool calls stream after the text, each as its own block whose input arrives in two JSON fragments. */
    @Override
    public List<String> streamTail(Reply reply, boolean terminate) {
        List<String> events = new ArrayList<>();
        int index = 0;
        if (hasText(reply)) {
            events.add(blockStop(index++));
        }
        for (ToolCall call : reply.toolCalls()) {
            ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .putObject("input");
            events.add(Dialect.namedEvent("content_block_start", Json.write(blockStart)));
            String arguments = Json.write(Json.parseOrMissing(call.arguments()));
            int half = arguments.length() / 2;
            for (String fragment : List.of("", arguments.substring(0, half), arguments.substring(half))) {
                ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
                events.add(Dialect.namedEvent("content_block_delta", Json.write(delta)));
            }
            events.add(blockStop(index++));
        }
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", reply.usage().completionTokens());
        events.add(Dialect.namedEvent("message_delta", Json.write(messageDelta)));
        if (terminate) {
            events.add(Dialect.namedEvent("message_stop", Json.write(Json.object().put("type", "message_stop"))));
        }
        return events;
    }

    private static String blockStop(int index) {
        return Dialect.namedEvent("content_block_stop",
                Json.write(Json.object().put("type", "content_block_stop").put("index", index)));
    }

    /** Like the real API, an answer that is only tool calls has no (empty) text block. */
    private static boolean hasText(Reply reply) {
        return !reply.content().isEmpty() || reply.toolCalls().isEmpty();
    }

    private static String stopReason(Reply reply) {
        return reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
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
