package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.ProblemException;

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

    static ChatRequest of(JsonNode json, int maxFallbacks) {
        if (!(json instanceof ObjectNode body)) {
            throw ProblemException.badRequest("request body must be a JSON object: {\"model\": \"...\", \"messages\": [...]}");
        }
        String model = GatewayFields.modelName(body.get("model"), "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayFields.field("messages", "field 'messages' is required and must be a non-empty list");
        }
        boolean stream = optionalBoolean(body.get("stream"), "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw GatewayFields.field("stream_options", "field 'stream_options' must be an object");
            }
            optionalBoolean(options.get("include_usage"), "stream_options.include_usage");
        }
        List<String> fallbacks = GatewayFields.fallbacks(body.remove("fallbacks"), maxFallbacks);
        return new ChatRequest(body, model, fallbacks, stream);
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw GatewayFields.field(field, "field '" + field + "' must be true or false");
        }
        return node.booleanValue();
    }
}
