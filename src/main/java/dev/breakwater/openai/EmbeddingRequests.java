package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.ProblemException;
import dev.breakwater.providers.EmbeddingRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an embeddings request before any model is called. Fields the gateway does not use are
 * forwarded untouched; the ones it checks are those a bad value of would reach every model of the
 * chain and count against their breakers (a malformed {@code input}), or that it must read itself.
 * Limits are OpenAI's: at most 2048 inputs.
 */
final class EmbeddingRequests {

    static final int MAX_INPUTS = 2048;
    static final List<String> GATEWAY_FIELDS = List.of("fallbacks");

    private EmbeddingRequests() {
    }

    /** The named model, checked like a chat request's ({@link GatewayFields#modelName}). */
    static String model(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("request body must be a JSON object: send {\"model\": \"...\", \"input\": \"...\"}");
        }
        return GatewayFields.modelName(body.get("model"), "model");
    }

    /** At most {@code openai.max-fallbacks} names, as for chat. */
    static List<String> fallbacks(JsonNode body, int max) {
        return GatewayFields.fallbacks(body.get("fallbacks"), max);
    }

    static EmbeddingRequest toRequest(JsonNode body) {
        JsonNode input = body.get("input");
        int inputs;
        Optional<List<String>> texts;
        if (input != null && input.isTextual()) {
            nonEmpty(input, "input");
            inputs = 1;
            texts = Optional.of(List.of(input.asText()));
        } else if (input != null && input.isArray() && !input.isEmpty() && input.size() <= MAX_INPUTS) {
            JsonNode first = input.get(0);
            if (first.isTextual()) {
                List<String> all = new ArrayList<>();
                for (int i = 0; i < input.size(); i++) {
                    all.add(nonEmpty(input.get(i), "input[" + i + "]"));
                }
                inputs = all.size();
                texts = Optional.of(all);
            } else if (first.isIntegralNumber()) {
                tokens(input, "input");
                inputs = 1;
                texts = Optional.empty();
            } else if (first.isArray()) {
                for (int i = 0; i < input.size(); i++) {
                    tokens(input.get(i), "input[" + i + "]");
                }
                inputs = input.size();
                texts = Optional.empty();
            } else {
                throw inputShape();
            }
        } else {
            throw inputShape();
        }
        JsonNode format = body.get("encoding_format");
        if (format != null && !(format.isTextual() && (format.asText().equals("float") || format.asText().equals("base64")))) {
            throw GatewayFields.field("encoding_format", "field 'encoding_format' must be 'float' or 'base64'");
        }
        JsonNode dimensions = body.get("dimensions");
        if (dimensions != null && !(dimensions.canConvertToInt() && dimensions.isIntegralNumber() && dimensions.asInt() > 0)) {
            throw GatewayFields.field("dimensions", "field 'dimensions' must be a positive integer");
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isTextual()) {
            throw GatewayFields.field("user", "field 'user' must be a string");
        }
        ObjectNode forwarded = ((ObjectNode) body).deepCopy();
        forwarded.remove(GATEWAY_FIELDS);
        return new EmbeddingRequest(forwarded, inputs, texts, format != null && format.asText().equals("base64"),
                dimensions == null ? Optional.empty() : Optional.of(dimensions.asInt()));
    }

    private static String nonEmpty(JsonNode node, String field) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw GatewayFields.field(field, "field '" + field + "' must be a non-empty string (all inputs of one request have one type)");
        }
        return node.asText();
    }

    private static void tokens(JsonNode array, String field) {
        if (!array.isArray() || array.isEmpty() || array.size() > 8192) {
            throw GatewayFields.field(field, "field '" + field + "' must be a non-empty list of at most 8192 token ids");
        }
        for (JsonNode token : array) {
            if (!token.isIntegralNumber() || !token.canConvertToInt() || token.asInt() < 0) {
                throw GatewayFields.field(field, "field '" + field + "' must hold token ids: non-negative integers");
            }
        }
    }

    private static ProblemException inputShape() {
        return GatewayFields.field("input", "field 'input' is required: a string, a list of 1 to " + MAX_INPUTS
                + " strings, a list of token ids, or a list of 1 to " + MAX_INPUTS + " lists of token ids");
    }
}
