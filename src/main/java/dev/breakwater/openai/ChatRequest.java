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
 * @param body        the caller's JSON without {@code fallbacks}: what every upstream receives (with its own model id)
 * @param usageHidden the gateway asked for a streamed answer's usage that the caller did not ask for
 *                    (see {@link #countingUsage}): the caller's stream goes out without it
 */
record ChatRequest(ObjectNode body, String model, List<String> fallbacks, boolean stream, boolean usageHidden) {

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
        return new ChatRequest(body, model, fallbacks, stream, false);
    }

    /**
     * A keyed call's tokens are counted against its tpm and budget, so a streamed request must report
     * usage: without {@code stream_options.include_usage} an OpenAI stream carries none, and streaming
     * would be a way around every token limit. Such a request asks for it upstream; the caller's stream
     * is then sent without the usage it did not ask for, as it would have come from the provider.
     */
    ChatRequest countingUsage() {
        if (!stream || body.path("stream_options").path("include_usage").asBoolean(false)) {
            return this;
        }
        ObjectNode copy = body.deepCopy();
        ObjectNode options = copy.get("stream_options") instanceof ObjectNode existing ? existing : copy.putObject("stream_options");
        options.put("include_usage", true);
        return new ChatRequest(copy, model, fallbacks, true, true);
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
