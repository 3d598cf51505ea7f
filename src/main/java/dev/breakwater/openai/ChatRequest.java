package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.ProblemException;

import java.util.ArrayList;
import java.util.List;

/**
 * A chat request as the caller sent it, with the few fields the gateway itself reads checked:
 * {@code model}, {@code fallbacks}, {@code stream}, {@code stream_options.include_usage} and that
 * {@code messages} is a non-empty list. Everything else is the model's business and is forwarded
 * untouched, so the gateway neither refuses nor drops what it does not know.
 *
 * @param body the caller's JSON without {@code fallbacks}: what every upstream receives (with its own model id)
 */
record ChatRequest(ObjectNode body, String model, List<String> fallbacks, boolean stream) {

    static final int MAX_MODEL_NAME = 256;

    static ChatRequest of(JsonNode json, int maxFallbacks) {
        if (!(json instanceof ObjectNode body)) {
            throw ProblemException.badRequest("request body must be a JSON object: {\"model\": \"...\", \"messages\": [...]}");
        }
        String model = modelName(body.get("model"), "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw field("messages", "field 'messages' is required and must be a non-empty list");
        }
        boolean stream = optionalBoolean(body.get("stream"), "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw field("stream_options", "field 'stream_options' must be an object");
            }
            optionalBoolean(options.get("include_usage"), "stream_options.include_usage");
        }
        List<String> fallbacks = fallbacks(body.remove("fallbacks"), maxFallbacks);
        return new ChatRequest(body, model, fallbacks, stream);
    }

    private static List<String> fallbacks(JsonNode node, int max) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw field("fallbacks", "field 'fallbacks' must be a list of model names");
        }
        if (node.size() > max) {
            throw field("fallbacks", "field 'fallbacks' lists " + node.size() + " models; at most " + max + " are allowed")
                    .with("limit", max);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            names.add(modelName(node.get(i), "fallbacks[" + i + "]"));
        }
        return List.copyOf(names);
    }

    /**
     * A model name: a non-blank string of at most 256 characters without control characters. The
     * value is never echoed back: a CR/LF in it is exactly what must not reach a log line or a header.
     */
    static String modelName(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw field(field, "field '" + field + "' is required: name a chain, a configured model or a routed model id");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw field(field, "field '" + field + "' must be a non-empty string");
        }
        String name = node.asText();
        if (name.length() > MAX_MODEL_NAME) {
            throw field(field, "field '" + field + "' is " + name.length() + " characters long; at most "
                    + MAX_MODEL_NAME + " are allowed").with("limit", MAX_MODEL_NAME);
        }
        if (hasControlCharacter(name)) {
            throw field(field, "field '" + field + "' must not contain control characters");
        }
        return name;
    }

    static boolean hasControlCharacter(String s) {
        return s.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || c == '\u2028' || c == '\u2029');
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw field(field, "field '" + field + "' must be true or false");
        }
        return node.booleanValue();
    }

    private static ProblemException field(String field, String detail) {
        return ProblemException.badRequest(detail).with("field", field);
    }
}
