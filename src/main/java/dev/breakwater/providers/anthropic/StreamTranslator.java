package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Anthropic Messages stream, event by event, as OpenAI {@code chat.completion.chunk}s: a role
 * chunk first, then text and tool-call deltas (each {@code tool_use} block is one tool call, indexed
 * in the order the blocks start), then a finish chunk and, when the caller asked for it, a usage
 * chunk. The answer exists only once {@code message_stop} has arrived: an {@code error} event, an
 * unparseable event (it would lose a piece of the answer) or an early end fails the attempt.
 * Not thread-safe: one stream, one reader.
 */
public final class StreamTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectMapper json;
    private final boolean includeUsage;
    private final long created;
    private final Optional<String> jsonTool;
    /** The content-block index of the JSON-mode tool call, whose input streams as content; -1 before it starts. */
    private int jsonBlock = -1;
    private final List<ObjectNode> chunks = new ArrayList<>();
    /** Anthropic content-block index → OpenAI tool-call index, for the blocks that are tool calls. */
    private final Map<Integer, Integer> toolIndex = new HashMap<>();
    private JsonNode message;
    private String stopReason;
    private JsonNode usage = F.objectNode();
    private boolean stopped;

    /**
     * @param includeUsage the caller's {@code stream_options.include_usage}
     * @param created      the chunks' {@code created} (epoch seconds)
     * @param jsonTool     the forced tool of a JSON-mode request, as for {@link ResponseTranslator#toCompletion}
     */
    public StreamTranslator(ObjectMapper json, boolean includeUsage, long created, Optional<String> jsonTool) {
        this.json = json;
        this.includeUsage = includeUsage;
        this.created = created;
        this.jsonTool = jsonTool;
    }

    /**
     * Takes one event's {@code data}; Anthropic repeats the event name in its {@code type}.
     *
     * @return whether the stream is complete, so reading can stop
     * @throws ClassifiedException when the event ends the attempt (an error event, garbage, events out of order)
     */
    public boolean accept(String data) {
        if (stopped || data == null || data.isBlank()) {
            return stopped;
        }
        JsonNode event;
        try {
            event = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw ResponseTranslator.badAnswer("the upstream stream carried a malformed event");
        }
        String type = event.path("type").asText();
        if (message == null && !type.equals("message_start") && !type.equals("ping") && !type.equals("error")) {
            throw ResponseTranslator.badAnswer("the upstream stream sent '" + type + "' before message_start");
        }
        switch (type) {
            case "message_start" -> start(event.path("message"));
            case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
            case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
            case "message_delta" -> {
                if (event.path("delta").hasNonNull("stop_reason")) {
                    stopReason = event.path("delta").get("stop_reason").asText();
                }
                mergeUsage(event.path("usage"));
            }
            case "message_stop" -> stop();
            case "error" -> throw new ClassifiedException(ProviderErrors.classify(json,
                    statusOf(event.path("error").path("type").asText()), data, null));
            default -> {
                // ping, content_block_stop, and event types Anthropic may add later carry nothing to pass on.
            }
        }
        return stopped;
    }

    /**
     * The whole answer; fails the attempt if the stream did not reach {@code message_stop}, or if the
     * model refused (a content-policy failure, as for a whole answer).
     */
    public ChatAnswer answer() {
        if (!stopped) {
            throw new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "the upstream stream ended before message_stop"));
        }
        AnthropicChatUpstream.refusalChecked(stopReason);
        return ChatAnswer.streamed(chunks, ResponseTranslator.usageOf(usage), message.path("model").asText());
    }

    private void start(JsonNode started) {
        if (message != null) {
            throw ResponseTranslator.badAnswer("the upstream stream sent message_start twice");
        }
        message = started;
        mergeUsage(started.path("usage"));
        chunk(F.objectNode().put("role", "assistant").put("content", ""));
    }

    private void blockStart(int index, JsonNode block) {
        switch (block.path("type").asText()) {
            case "text" -> {
                if (jsonTool.isEmpty() && !block.path("text").asText().isEmpty()) {
                    chunk(F.objectNode().put("content", block.get("text").asText()));
                }
            }
            case "tool_use" -> {
                if (jsonTool.isPresent()) {
                    jsonBlock = index;
                    return;
                }
                int tool = toolIndex.size();
                toolIndex.put(index, tool);
                ObjectNode call = F.objectNode().put("index", tool).put("id", block.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
                chunk(toolCalls(call));
            }
            case "thinking", "redacted_thinking" -> {
                // the model's scratchpad, not its answer (see ResponseTranslator)
            }
            default -> throw ResponseTranslator.badAnswer("the upstream streamed a '" + block.path("type").asText()
                    + "' block, which has no OpenAI equivalent");
        }
    }

    private void blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> {
                if (jsonTool.isEmpty()) {
                    chunk(F.objectNode().put("content", delta.path("text").asText()));
                }
            }
            case "input_json_delta" -> {
                if (index == jsonBlock) {
                    chunk(F.objectNode().put("content", delta.path("partial_json").asText()));
                    return;
                }
                Integer tool = toolIndex.get(index);
                if (tool == null) {
                    throw ResponseTranslator.badAnswer("the upstream streamed tool input for block " + index + ", which is no tool call");
                }
                ObjectNode call = F.objectNode().put("index", tool);
                call.putObject("function").put("arguments", delta.path("partial_json").asText());
                chunk(toolCalls(call));
            }
            case "thinking_delta", "signature_delta" -> {
                // scratchpad
            }
            default -> throw ResponseTranslator.badAnswer("the upstream streamed a '" + delta.path("type").asText()
                    + "' delta, which has no OpenAI equivalent");
        }
    }

    private void stop() {
        stopped = true;
        ObjectNode finish = envelope();
        ObjectNode choice = finish.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", ResponseTranslator.finishReason(stopReason, jsonTool.isPresent()));
        chunks.add(finish);
        if (includeUsage) {
            ObjectNode usageChunk = envelope();
            usageChunk.putArray("choices");
            usageChunk.set("usage", ResponseTranslator.usage(ResponseTranslator.usageOf(usage)));
            chunks.add(usageChunk);
        }
    }

    /** message_start carries the input tokens, message_delta the (cumulative) output tokens. */
    private void mergeUsage(JsonNode more) {
        if (more.isObject()) {
            ObjectNode merged = usage.deepCopy();
            more.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    merged.set(f.getKey(), f.getValue());
                }
            });
            usage = merged;
        }
    }

    private static ObjectNode toolCalls(ObjectNode call) {
        ObjectNode delta = F.objectNode();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    private void chunk(ObjectNode delta) {
        ObjectNode chunk = envelope();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        chunks.add(chunk);
    }

    private ObjectNode envelope() {
        return ResponseTranslator.envelope(message, "chat.completion.chunk", created);
    }

    /** Errors inside a stream carry only their type; the status the same error would have had as an HTTP answer. */
    static int statusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500; // api_error and anything new
        };
    }
}
