package dev.breakwater.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.ProblemException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Anthropic's Messages API in front of the chains: a {@code POST /v1/messages} request becomes an
 * OpenAI chat request (so every chain, provider and fail-over serves it), and the chain's answer
 * becomes an Anthropic {@code message}, or its event stream. A field with no OpenAI equivalent is a
 * 400 naming it, never dropped.
 */
final class MessagesTranslator {

    private static final Map<String, String> STOP = Map.of("stop", "end_turn", "length", "max_tokens",
            "tool_calls", "tool_use", "function_call", "tool_use", "content_filter", "refusal");

    private final ObjectMapper json;

    MessagesTranslator(ObjectMapper json) {
        this.json = json;
    }

    /** The OpenAI chat request for an Anthropic Messages request; always non-streamed (streams are rebuilt here). */
    ObjectNode toOpenAi(JsonNode request) {
        if (!(request instanceof ObjectNode in)) {
            throw invalid("body", "request body must be a JSON object");
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode messages = json.createArrayNode();
        if (!in.path("max_tokens").canConvertToExactIntegral() || !in.path("max_tokens").canConvertToInt()) {
            throw invalid("max_tokens", "max_tokens is required (an integer), as in Anthropic's API");
        }
        for (Map.Entry<String, JsonNode> field : in.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "model" -> out.set("model", v);
                case "anthropic_version" -> { } // a header in Anthropic's API; some clients put it in the body
                case "max_tokens" -> out.put("max_tokens", v.asInt());
                case "temperature", "top_p" -> out.set(field.getKey(), v);
                case "stop_sequences" -> out.set("stop", v);
                case "stream" -> { } // answered below, from the whole answer
                case "system" -> messages.insert(0, json.createObjectNode().put("role", "system").put("content", text(v, "system")));
                case "messages" -> { } // after the loop, so system comes first
                case "metadata" -> { } // its user_id becomes OpenAI's user, below
                case "tools" -> out.set("tools", tools(v));
                case "tool_choice" -> out.set("tool_choice", toolChoice(v));
                case "fallbacks" -> out.set("fallbacks", v);
                default -> throw invalid(field.getKey(), "field '" + field.getKey() + "' is not supported by this gateway's Messages API");
            }
        }
        if (in.path("metadata").hasNonNull("user_id")) {
            out.put("user", in.path("metadata").path("user_id").asText());
        }
        JsonNode turns = in.path("messages");
        if (!turns.isArray() || turns.isEmpty()) {
            throw invalid("messages", "messages must be a non-empty list");
        }
        for (int i = 0; i < turns.size(); i++) {
            turn(turns.get(i), "messages[" + i + "]", messages);
        }
        out.set("messages", messages);
        return out;
    }

    private void turn(JsonNode turn, String path, ArrayNode out) {
        String role = turn.path("role").asText();
        if (!role.equals("user") && !role.equals("assistant")) {
            throw invalid(path + ".role", path + ".role must be user or assistant");
        }
        JsonNode content = turn.path("content");
        if (content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (!content.isArray()) {
            throw invalid(path + ".content", path + ".content must be a string or a list of blocks");
        }
        ArrayNode parts = json.createArrayNode();
        ArrayNode toolCalls = json.createArrayNode();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String at = path + ".content[" + j + "]";
            switch (block.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> {
                    JsonNode source = block.path("source");
                    String url = source.path("type").asText().equals("base64")
                            ? "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText()
                            : source.path("url").asText();
                    parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
                }
                case "tool_use" -> toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function")
                        .putObject("function").put("name", block.path("name").asText()).put("arguments", write(block.path("input")));
                case "tool_result" -> out.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText())
                        .put("content", block.path("content").isMissingNode() ? "" : text(block.path("content"), at + ".content"));
                default -> throw invalid(at + ".type", "block type '" + block.path("type").asText() + "' is not supported");
            }
        }
        if (!parts.isEmpty() || !toolCalls.isEmpty()) {
            ObjectNode message = out.addObject().put("role", role);
            if (role.equals("assistant")) {
                StringBuilder text = new StringBuilder();
                parts.forEach(p -> text.append(p.path("text").asText()));
                message.put("content", text.toString());
                if (!toolCalls.isEmpty()) {
                    message.set("tool_calls", toolCalls);
                }
            } else {
                message.set("content", parts);
            }
        }
    }

    private ArrayNode tools(JsonNode tools) {
        ArrayNode out = json.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!tool.hasNonNull("name") || !tool.has("input_schema")) {
                throw invalid("tools[" + i + "]", "tools[" + i + "] must be a custom tool with name and input_schema");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function").put("name", tool.path("name").asText());
            if (tool.hasNonNull("description")) {
                function.put("description", tool.path("description").asText());
            }
            function.set("parameters", tool.path("input_schema"));
        }
        return out;
    }

    private JsonNode toolChoice(JsonNode choice) {
        return switch (choice.path("type").asText()) {
            case "auto" -> json.getNodeFactory().textNode("auto");
            case "any" -> json.getNodeFactory().textNode("required");
            case "none" -> json.getNodeFactory().textNode("none");
            case "tool" -> {
                ObjectNode named = json.createObjectNode().put("type", "function");
                named.putObject("function").put("name", choice.path("name").asText());
                yield named;
            }
            default -> throw invalid("tool_choice.type", "tool_choice.type must be auto, any, tool or none");
        };
    }

    /** The chain's {@code chat.completion} as an Anthropic {@code message} named {@code model}. */
    ObjectNode toMessage(JsonNode completion, String model) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode out = json.createObjectNode().put("id", "msg_" + completion.path("id").asText()).put("type", "message")
                .put("role", "assistant").put("model", model);
        ArrayNode content = out.putArray("content");
        String text = message.path("content").asText("");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", read(call.path("function").path("arguments").asText("{}")));
        }
        // Some OpenAI-compatible servers finish a tool call with "stop": the calls decide.
        out.put("stop_reason", message.path("tool_calls").isEmpty()
                ? STOP.getOrDefault(choice.path("finish_reason").asText(), "end_turn") : "tool_use");
        out.putNull("stop_sequence");
        out.putObject("usage").put("input_tokens", completion.path("usage").path("prompt_tokens").asInt(0))
                .put("output_tokens", completion.path("usage").path("completion_tokens").asInt(0));
        return out;
    }

    /** {@code message} as Anthropic's event stream: message_start, one block start/delta/stop per block, message_delta, message_stop. */
    byte[] toEvents(ObjectNode message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        ((ObjectNode) start.path("usage")).put("output_tokens", 0);
        event(out, "message_start", json.createObjectNode().put("type", "message_start").set("message", start));
        JsonNode blocks = message.path("content");
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            boolean text = block.path("type").asText().equals("text");
            ObjectNode opening = block.deepCopy();
            if (text) {
                opening.put("text", "");
            } else {
                opening.putObject("input");
            }
            event(out, "content_block_start", json.createObjectNode().put("type", "content_block_start").put("index", i)
                    .set("content_block", opening));
            ObjectNode delta = text ? json.createObjectNode().put("type", "text_delta").put("text", block.path("text").asText())
                    : json.createObjectNode().put("type", "input_json_delta").put("partial_json", write(block.path("input")));
            event(out, "content_block_delta", json.createObjectNode().put("type", "content_block_delta").put("index", i)
                    .set("delta", delta));
            event(out, "content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", i));
        }
        ObjectNode end = json.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", message.path("stop_reason").asText()).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", message.path("usage").path("output_tokens").asInt());
        event(out, "message_delta", end);
        event(out, "message_stop", json.createObjectNode().put("type", "message_stop"));
        return out.toByteArray();
    }

    private void event(ByteArrayOutputStream out, String name, JsonNode data) {
        out.writeBytes(("event: " + name + "\ndata: " + write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private String text(JsonNode v, String path) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode block : v) {
                if (!block.path("type").asText().equals("text")) {
                    throw invalid(path, path + " takes text blocks only");
                }
                sb.append(block.path("text").asText());
            }
            return sb.toString();
        }
        throw invalid(path, path + " must be a string or a list of text blocks");
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String arguments) {
        try {
            return json.readTree(arguments);
        } catch (JsonProcessingException e) {
            return json.createObjectNode().put("_raw", arguments);
        }
    }

    private static ProblemException invalid(String field, String detail) {
        return ProblemException.badRequest(detail).with("field", field)
                .error(new OpenAiError(detail, "invalid_request_error", field, null));
    }
}
