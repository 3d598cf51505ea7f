package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Body of {@code POST /v1/chat/completions}: the OpenAI fields the gateway honours, plus
 * {@code fallbacks} (the LiteLLM/Bifrost convention: models to try after {@code model}). Fields
 * with several shapes in the OpenAI API ({@code stop}, message {@code content}) stay JSON and are
 * checked by {@link ChatRequests}.
 */
public record ChatCompletionRequest(String model, List<Message> messages, Boolean stream, StreamOptions streamOptions,
                                    Double temperature, Double topP, Integer maxTokens, Integer maxCompletionTokens,
                                    JsonNode stop, Integer n, JsonNode tools, JsonNode functions, List<String> fallbacks) {

    public record Message(String role, JsonNode content) {
    }

    public record StreamOptions(Boolean includeUsage) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }
}
