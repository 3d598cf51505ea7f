package dev.breakwater.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.providers.UnsupportedFieldException;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI Chat Completions ⇄ Bedrock Converse, for text conversations: system and developer messages
 * become {@code system}, user and assistant turns {@code messages} with text blocks, the sampling
 * fields {@code inferenceConfig}. Anything else (tools, images, JSON mode, seed...) is refused with
 * an {@link UnsupportedFieldException} before any call, like the Anthropic translation does.
 */
final class ConverseTranslator {

    private static final Set<String> PASSED = Set.of("model", "messages", "stream", "stream_options", "user");
    private static final Map<String, String> FINISH = Map.of("end_turn", "stop", "stop_sequence", "stop",
            "max_tokens", "length", "tool_use", "tool_calls");

    private final ObjectMapper json;

    ConverseTranslator(ObjectMapper json) {
        this.json = json;
    }

    /** A sampling number as the caller wrote it (digits kept); anything but a number is refused rather than read as 0. */
    private static void number(ObjectNode inference, String converseName, String field, JsonNode value) {
        if (value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw new UnsupportedFieldException(field, "must be a number");
        }
        inference.set(converseName, value);
    }

    /** A token count: a whole number, never a fraction cut to one behind the caller's back. */
    private static void whole(ObjectNode inference, String converseName, String field, JsonNode value) {
        if (value.isNull()) {
            return;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw new UnsupportedFieldException(field, "must be a whole number");
        }
        inference.put(converseName, value.asInt());
    }

    /** The Converse body for {@code request}, or an {@link UnsupportedFieldException} naming the first field it cannot carry. */
    ObjectNode request(ObjectNode request) {
        ObjectNode out = json.createObjectNode();
        ArrayNode system = json.createArrayNode();
        ArrayNode messages = out.putArray("messages");
        ObjectNode inference = json.createObjectNode();
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                // An explicit null is OpenAI's "not set": the model's default, not 0. max_completion_tokens is OpenAI's
                // current name and wins when both are sent.
                case "max_completion_tokens" -> whole(inference, "maxTokens", name, value);
                case "max_tokens" -> {
                    if (!request.hasNonNull("max_completion_tokens")) {
                        whole(inference, "maxTokens", name, value);
                    }
                }
                case "temperature" -> number(inference, "temperature", name, value);
                case "top_p" -> number(inference, "topP", name, value);
                case "stop" -> {
                    ArrayNode stops = inference.putArray("stopSequences");
                    if (value.isTextual()) {
                        stops.add(value.asText());
                    } else {
                        value.forEach(s -> stops.add(s.asText()));
                    }
                }
                case "n" -> {
                    if (!value.isNull() && !(value.canConvertToExactIntegral() && value.asInt() == 1)) {
                        throw new UnsupportedFieldException("n", "must be 1 for Bedrock models: Converse returns one answer");
                    }
                }
                default -> {
                    if (!PASSED.contains(name)) {
                        throw new UnsupportedFieldException(name, "is not supported for Bedrock models");
                    }
                }
            }
        }
        JsonNode turns = request.path("messages");
        for (int i = 0; i < turns.size(); i++) {
            JsonNode turn = turns.get(i);
            String role = turn.path("role").asText();
            String text = text(turn.path("content"), "messages[" + i + "].content");
            switch (role) {
                case "system", "developer" -> system.addObject().put("text", text);
                case "user", "assistant" -> messages.addObject().put("role", role).putArray("content").addObject().put("text", text);
                default -> throw new UnsupportedFieldException("messages[" + i + "].role",
                        "'" + role + "' is not supported for Bedrock models (text conversations only)");
            }
        }
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        return out;
    }

    private static String text(JsonNode content, String path) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                if (!"text".equals(part.path("type").asText())) {
                    throw new UnsupportedFieldException(path + "[" + j + "]", "is not text: Bedrock models take text parts only here");
                }
                sb.append(part.path("text").asText());
            }
            return sb.toString();
        }
        throw new UnsupportedFieldException(path, "must be a string or a list of text parts");
    }

    /** The Converse answer as a {@code chat.completion}; a guardrail or content filter stop is a content-policy failure. */
    ObjectNode completion(JsonNode converse, String id, String modelId, long created) {
        String stop = converse.path("stopReason").asText("");
        if (stop.equals("content_filtered") || stop.equals("guardrail_intervened")) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "Bedrock stopped the answer: " + stop));
        }
        JsonNode blocks = converse.path("output").path("message").path("content");
        if (!blocks.isArray()) {
            throw new ClassifiedException(Failure.of(FailureKind.BAD_ANSWER, "Bedrock's answer has no output message"));
        }
        StringBuilder text = new StringBuilder();
        blocks.forEach(b -> text.append(b.path("text").asText("")));
        ObjectNode out = envelope(id, "chat.completion", modelId, created);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.put("finish_reason", FINISH.getOrDefault(stop, "stop"));
        usage(out, usage(converse));
        return out;
    }

    /** A ConverseStream answer as OpenAI chunks, with its usage. */
    record Streamed(List<ObjectNode> chunks, TokenUsage usage) {
    }

    /**
     * ConverseStream's events as {@code chat.completion.chunk}s: the role first, a chunk per text delta,
     * the finish, then the usage when asked for. An exception event fails the attempt like the HTTP error
     * it stands for; a stream without {@code messageStop} was cut.
     */
    Streamed streamed(List<EventStreamFrames.Frame> frames, String id, String modelId, long created, boolean includeUsage) {
        List<ObjectNode> chunks = new ArrayList<>();
        TokenUsage usage = TokenUsage.NONE;
        String finish = null;
        for (EventStreamFrames.Frame frame : frames) {
            JsonNode payload = payload(frame);
            if (frame.header(":message-type").equals("exception")) {
                throw exception(frame.header(":exception-type"), payload.path("message").asText(""));
            }
            switch (frame.header(":event-type")) {
                case "messageStart" -> chunks.add(delta(id, modelId, created, json.createObjectNode().put("role", "assistant").put("content", "")));
                case "contentBlockDelta" -> {
                    if (payload.path("delta").has("text")) {
                        chunks.add(delta(id, modelId, created, json.createObjectNode().put("content", payload.path("delta").path("text").asText())));
                    }
                }
                case "messageStop" -> {
                    String stop = payload.path("stopReason").asText("");
                    if (stop.equals("content_filtered") || stop.equals("guardrail_intervened")) {
                        throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "Bedrock stopped the answer: " + stop));
                    }
                    finish = FINISH.getOrDefault(stop, "stop");
                }
                case "metadata" -> usage = usage(payload);
                default -> { } // contentBlockStart/Stop carry nothing a text answer needs
            }
        }
        if (finish == null) {
            throw new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "Bedrock's stream ended without messageStop"));
        }
        ObjectNode end = envelope(id, "chat.completion.chunk", modelId, created);
        ObjectNode last = end.putArray("choices").addObject().put("index", 0);
        last.putObject("delta");
        last.put("finish_reason", finish);
        chunks.add(end);
        if (includeUsage) {
            ObjectNode counted = envelope(id, "chat.completion.chunk", modelId, created);
            counted.putArray("choices");
            usage(counted, usage);
            chunks.add(counted);
        }
        return new Streamed(chunks, usage);
    }

    private ObjectNode delta(String id, String modelId, long created, ObjectNode delta) {
        ObjectNode chunk = envelope(id, "chat.completion.chunk", modelId, created);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        return chunk;
    }

    private JsonNode payload(EventStreamFrames.Frame frame) {
        try {
            return frame.payload().length == 0 ? json.createObjectNode() : json.readTree(frame.payload());
        } catch (java.io.IOException e) {
            throw new ClassifiedException(Failure.of(FailureKind.BAD_ANSWER, "a Bedrock stream event is not JSON"));
        }
    }

    /** An exception event mid-stream: a validation error reads like Bedrock's HTTP 400, everything else is transient. */
    private ClassifiedException exception(String type, String message) {
        Failure failure = type.equals("validationException")
                ? ProviderErrors.classify(json, 400, "{\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + "}", null)
                : Failure.of(FailureKind.TRANSIENT, "Bedrock stream " + type + ": " + ProviderErrors.sanitize(message));
        return new ClassifiedException(failure);
    }

    static TokenUsage usage(JsonNode converse) {
        JsonNode u = converse.path("usage");
        return new TokenUsage(u.path("inputTokens").asInt(0), u.path("outputTokens").asInt(0));
    }

    private ObjectNode envelope(String id, String object, String modelId, long created) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", modelId);
    }

    private static void usage(ObjectNode out, TokenUsage usage) {
        out.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }
}
