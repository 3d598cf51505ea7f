package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.Optional;
import java.util.Set;

/**
 * An Anthropic Messages answer as an OpenAI {@code chat.completion}: text blocks become the message
 * content, {@code tool_use} blocks its {@code tool_calls}. The request translation asks for nothing
 * that produces other blocks; one that arrives anyway fails the attempt rather than vanish.
 */
public final class ResponseTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Blocks that only appear when extended thinking is on; they are the model's scratchpad, not its answer. */
    private static final Set<String> SCRATCHPAD = Set.of("thinking", "redacted_thinking");

    private ResponseTranslator() {
    }

    /**
     * @param created  the completion's {@code created} (epoch seconds): Anthropic answers carry no timestamp
     * @param jsonTool the forced tool of a JSON-mode request ({@link RequestTranslator#jsonModeTool}): its
     *                 input is the answer's content, as OpenAI's JSON mode gives it, not a tool call
     */
    public static ObjectNode toCompletion(JsonNode message, long created, Optional<String> jsonTool) {
        if (!"message".equals(message.path("type").asText()) || !message.path("content").isArray()) {
            throw badAnswer("the upstream's answer is not an Anthropic message");
        }
        ObjectNode completion = envelope(message, "chat.completion", created);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode out = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = F.arrayNode();
        boolean anyText = false;
        for (JsonNode block : message.get("content")) {
            switch (block.path("type").asText()) {
                case "text" -> {
                    // A forced tool call comes without text; should any come, it is not the JSON asked for.
                    if (jsonTool.isEmpty()) {
                        text.append(block.path("text").asText());
                        anyText = true;
                    }
                }
                case "tool_use" -> {
                    if (jsonTool.isPresent()) {
                        text.append(block.path("input").toString());
                        anyText = true;
                    } else {
                        calls.add(toolCall(block));
                    }
                }
                default -> {
                    if (!SCRATCHPAD.contains(block.path("type").asText())) {
                        throw badAnswer("the upstream answered with a '" + block.path("type").asText()
                                + "' block, which has no OpenAI equivalent");
                    }
                }
            }
        }
        if (anyText) {
            out.put("content", text.toString());
        } else {
            out.putNull("content"); // as OpenAI answers a pure tool call
        }
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null), jsonTool.isPresent()));
        completion.set("usage", usage(usageOf(message.path("usage"))));
        return completion;
    }

    static ObjectNode toolCall(JsonNode toolUse) {
        ObjectNode call = F.objectNode().put("id", toolUse.path("id").asText()).put("type", "function");
        call.putObject("function")
                .put("name", toolUse.path("name").asText())
                .put("arguments", toolUse.path("input").isMissingNode() ? "{}" : toolUse.get("input").toString());
        return call;
    }

    /** Anthropic's stop reasons in OpenAI's vocabulary; in JSON mode the forced tool call is the finished answer. */
    static String finishReason(String stopReason, boolean jsonMode) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> jsonMode ? "stop" : "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /**
     * OpenAI's prompt tokens include cached ones; Anthropic counts cache reads and writes apart from
     * {@code input_tokens}.
     */
    static TokenUsage usageOf(JsonNode usage) {
        int prompt = usage.path("input_tokens").asInt() + usage.path("cache_creation_input_tokens").asInt()
                + usage.path("cache_read_input_tokens").asInt();
        return new TokenUsage(prompt, usage.path("output_tokens").asInt());
    }

    static ObjectNode usage(TokenUsage usage) {
        return F.objectNode()
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }

    static ObjectNode envelope(JsonNode message, String object, long created) {
        return F.objectNode()
                .put("id", message.path("id").asText())
                .put("object", object)
                .put("created", created)
                .put("model", message.path("model").asText());
    }

    static ClassifiedException badAnswer(String reason) {
        return new ClassifiedException(Failure.of(FailureKind.BAD_ANSWER, reason));
    }
}
