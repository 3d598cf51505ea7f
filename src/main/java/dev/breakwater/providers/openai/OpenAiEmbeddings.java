package dev.breakwater.providers.openai;

import com.fasterxml.jackson.core.JsonFactory;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.http.UpstreamHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code POST {base-url}/embeddings} on an OpenAI-compatible server: the caller's JSON goes out with
 * only {@code model} replaced, and the answer comes back byte for byte.
 */
final class OpenAiEmbeddings {

    private final UpstreamHttpClient http;
    private final URI url;
    private final Map<String, String> headers;
    private final String modelId;
    private final Duration timeout;
    private final JsonFactory json;

    OpenAiEmbeddings(UpstreamHttpClient http, String baseUrl, String apiKey, String modelId, Duration timeout, JsonFactory json) {
        this.http = http;
        this.url = URI.create(baseUrl.replaceAll("/+$", "") + "/embeddings");
        this.headers = Map.of("Authorization", "Bearer " + apiKey);
        this.modelId = modelId;
        this.timeout = timeout;
        this.json = json;
    }

    EmbeddingReply embed(EmbeddingRequest request) {
        UpstreamHttpClient.JsonResponse response;
        try {
            response = http.postJson(url, headers, request.bodyFor(modelId), timeout);
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(e).orElseThrow(() -> e);
        }
        return EmbeddingReply.read(response.body(), json);
    }
}
