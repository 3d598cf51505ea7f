package dev.breakwater.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.EmbeddingsUpstream;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.http.UpstreamHttpClient;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/**
 * {@code POST {base-url}/embeddings} on an OpenAI-compatible server: the caller's JSON goes out with
 * only {@code model} replaced, and the answer comes back byte for byte.
 */
public final class OpenAiEmbeddings implements EmbeddingsUpstream {

    private final UpstreamHttpClient http;
    private final String url;
    private final Map<String, List<String>> headers;
    private final String modelId;
    private final ObjectMapper json;

    public OpenAiEmbeddings(UpstreamHttpClient http, ObjectMapper json, String baseUrl, String apiKey, String modelId) {
        this.http = http;
        this.url = baseUrl.replaceAll("/+$", "") + "/embeddings";
        this.headers = Map.of("Authorization", List.of("Bearer " + apiKey),
                "Content-Type", List.of("application/json"),
                "Accept", List.of("application/json"));
        this.modelId = modelId;
        this.json = json;
    }

    @Override
    public EmbeddingReply embed(EmbeddingRequest request) {
        UpstreamHttpClient.RawResponse response;
        try {
            response = http.post(url, headers, Buffer.buffer(request.bodyFor(modelId)));
        } catch (RuntimeException e) {
            throw ProviderErrors.translated(json, e);
        }
        return EmbeddingReply.read(response.body().getBytes(), json.getFactory());
    }
}
