package dev.breakwater.testing;

import java.util.Map;
import java.util.Optional;

/**
 * Azure OpenAI's wire layout for a {@link FakeUpstream} ({@link FakeUpstream#speak}): chat only at
 * {@code /openai/deployments/{deployment}/chat/completions?api-version=...}, authenticated by the
 * {@code api-key} header or an Entra ID bearer token, and Azure's own error bodies (404
 * DeploymentNotFound, 401 for a bad key, 400 {@code content_filter}). Answers themselves are OpenAI's.
 */
public record AzureOpenAi(String deployment, String apiVersion, String authHeader, String authValue) implements ProviderLayout {

    public static AzureOpenAi withKey(String deployment, String apiVersion, String apiKey) {
        return new AzureOpenAi(deployment, apiVersion, "api-key", apiKey);
    }

    public static AzureOpenAi withEntraToken(String deployment, String apiVersion, String token) {
        return new AzureOpenAi(deployment, apiVersion, "authorization", "Bearer " + token);
    }

    /** Azure's refusal of a prompt its content filter flagged. */
    public static Fault contentFilterError() {
        return new Fault.RawBody(400, "application/json", """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content \
                management policy. Please modify your prompt and retry.","type":null,"param":"prompt",\
                "code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation",\
                "content_filter_result":{"hate":{"filtered":true,"severity":"high"}}}}}""");
    }

    /** A completion Azure cut off with {@code finish_reason: content_filter}. */
    public static Fault filteredCompletion() {
        return new Fault.RawBody(200, "application/json", """
                {"id":"chatcmpl-az1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",\
                "choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter",\
                "content_filter_results":{"violence":{"filtered":true,"severity":"medium"}}}],\
                "usage":{"prompt_tokens":9,"completion_tokens":0,"total_tokens":9}}""");
    }

    /** The same, streamed: Azure's prompt-filter preamble chunk, a piece of text, then the filter's finish. */
    public static Fault filteredStream() {
        String chunk = "{\"id\":\"chatcmpl-az2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\",";
        return new Fault.RawBody(200, "text/event-stream",
                "data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,"
                        + "\"content_filter_results\":{}}],\"choices\":[]}\n\n"
                        + "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Well\"},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\n"
                        + "data: [DONE]\n\n");
    }

    @Override
    public Optional<FakeResponse> refuse(HttpWire.Request request) {
        String expected = "/openai/deployments/" + deployment + "/chat/completions";
        if (!request.path().equals(expected)) {
            return Optional.of(FakeResponse.of(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment "
                    + "for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a "
                    + "moment and try again.\"}}"));
        }
        if (!request.target().endsWith("?api-version=" + apiVersion)) {
            return Optional.of(FakeResponse.of(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}"));
        }
        Map<String, String> headers = request.headers();
        if (!authValue.equals(headers.get(authHeader))) {
            return Optional.of(FakeResponse.of(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid "
                    + "subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and "
                    + "use a correct regional API endpoint for your resource.\"}}"));
        }
        return Optional.empty();
    }
}
