package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.UnroutableModelException;
import dev.breakwater.secrets.Secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's own fields of a {@code /v1} request body, checked alike for chat and embeddings:
 * {@code model} and {@code fallbacks} name chains and models, and a bad value must never reach a
 * log line, a header or a routed model's breaker.
 */
final class GatewayFields {

    static final int MAX_MODEL_NAME = 256;

    private GatewayFields() {
    }

    /** The {@code fallbacks} list (already taken out of the body), at most {@code max} model names. */
    static List<String> fallbacks(JsonNode node, int max) {
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
        if (Secrets.hasControlCharacter(name)) {
            throw field(field, "field '" + field + "' must not contain control characters");
        }
        return name;
    }

    static ProblemException field(String field, String detail) {
        return ProblemException.badRequest(detail).with("field", field);
    }

    /** A {@code model} (or fallback) nothing answers for: what the caller may name instead, in OpenAI's words too. */
    static ProblemException unroutable(UnroutableModelException e) {
        String detail = e.getMessage() + "; available: " + String.join(", ", e.available()) + " (GET /v1/models)";
        return ProblemException.badRequest(detail).with("field", "model").with("available", e.available())
                .error(new OpenAiError(detail, "invalid_request_error", "model", "model_not_found"));
    }
}
