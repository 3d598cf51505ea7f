package dev.breakwater.testing;

import java.util.Optional;

/**
 * Google's OpenAI-compatible Gemini endpoint for a {@link FakeUpstream}: chat only at
 * {@code /v1beta/openai/chat/completions} with {@code Authorization: Bearer {key}}, and Google's error
 * bodies (a one-element array around {@code {"error": {code, message, status}}}).
 */
public record GeminiApi(String apiKey) implements ProviderLayout {

    static final String CHAT = "/v1beta/openai/chat/completions";

    public static Fault error(int code, String status, String message) {
        return new Fault.RawBody(code, "application/json",
                "[{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}]");
    }

    public static Fault resourceExhausted() {
        return error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
    }

    public static Fault overloaded() {
        return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    }

    public static Fault tooManyTokens() {
        return error(400, "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
    }

    /** An answer Gemini's safety filters stopped: the compatible endpoint reports {@code finish_reason: content_filter}. */
    public static Fault safetyStop() {
        return new Fault.RawBody(200, "application/json", """
                {"id":"gem-1","object":"chat.completion","created":1700000000,"model":"gemini-2.5-flash",\
                "choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"content_filter"}],\
                "usage":{"prompt_tokens":8,"completion_tokens":0,"total_tokens":8}}""");
    }

    @Override
    public Optional<FakeResponse> refuse(HttpWire.Request request) {
        if (!request.path().equals(CHAT)) {
            return Optional.of(FakeResponse.of(404, "[{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\","
                    + "\"status\":\"NOT_FOUND\"}}]"));
        }
        if (!("Bearer " + apiKey).equals(request.headers().get("authorization"))) {
            return Optional.of(FakeResponse.of(400, "[{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a "
                    + "valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}]"));
        }
        return Optional.empty();
    }
}
