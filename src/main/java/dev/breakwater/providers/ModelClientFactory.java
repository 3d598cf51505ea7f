package dev.breakwater.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.providers.http.StreamTimeouts;
import dev.breakwater.providers.http.UpstreamHttpClientBuilder;
import dev.breakwater.providers.local.LocalEmbedder;
import dev.breakwater.providers.local.LocalModelClient;
import dev.breakwater.providers.openai.OpenAiModelClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/** Builds the client of each configured model. Clients share one HTTP connection pool. */
@Singleton
public class ModelClientFactory {

    private final HttpClient http;
    private final LocalEmbeddings embeddings;
    private final StreamTimeouts streamTimeouts;
    private final JsonFactory json;

    public ModelClientFactory(LocalEmbeddings embeddings, GatewayConfig config, Vertx vertx, ObjectMapper mapper) {
        this.embeddings = embeddings;
        this.json = mapper.getFactory();
        this.streamTimeouts = new StreamTimeouts(config.openai().firstTokenTimeout(), config.openai().idleTimeout());
        GatewayConfig.Upstream upstream = config.upstream();
        // A call holds its connection until the whole answer is in (LLM answers take seconds), so the
        // pool bounds how many calls run at once per provider; calls beyond it wait, inside their timeout.
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) upstream.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setKeepAliveTimeout((int) upstream.keepAlive().toSeconds())
                        .setTcpNoDelay(true)
                        .setName("breakwater-upstream"),
                new PoolOptions().setHttp1MaxSize(upstream.maxConnectionsPerHost()));
    }

    /** The client, or why the model cannot be used (e.g. its API key is not set). */
    public Built create(ModelConfig model, Duration timeout) {
        String modelId = model.model().orElse(model.name());
        return switch (model.provider()) {
            case LOCAL -> Built.ok(new LocalModelClient(embeddings.model(), modelId,
                    new LocalEmbedder(embeddings.model(), model.name(), json)));
            case OPENAI -> openAi(modelId, model.baseUrl(), model.apiKeyEnv(), timeout);
            case ANTHROPIC -> withKey(model.apiKeyEnv(), key -> new LangChainAdapter(AnthropicChatModel.builder()
                    .baseUrl(model.baseUrl().orElse("https://api.anthropic.com/v1/"))
                    .apiKey(key)
                    .modelName(modelId)
                    .maxTokens(1024)
                    .timeout(timeout)
                    .maxRetries(0)
                    .httpClientBuilder(httpClientBuilder())
                    .build(), modelId));
        };
    }

    /** A client for any OpenAI-compatible server: configured models and the targets of wildcard routes. */
    public Built openAi(String modelId, Optional<String> baseUrl, Optional<String> apiKeyEnv, Duration timeout) {
        return withKey(apiKeyEnv, key -> new OpenAiModelClient(httpClientBuilder(),
                baseUrl.orElse("https://api.openai.com/v1"), key, modelId, timeout, json));
    }

    private UpstreamHttpClientBuilder httpClientBuilder() {
        return new UpstreamHttpClientBuilder(http, streamTimeouts);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    private static Built withKey(Optional<String> apiKeyEnv, java.util.function.Function<String, ModelClient> build) {
        if (apiKeyEnv.isEmpty()) {
            // Self-hosted OpenAI-compatible servers often need no key; the client library insists on one.
            return Built.ok(build.apply("none"));
        }
        String variable = apiKeyEnv.get();
        return ApiKeys.resolve(variable)
                .map(key -> Built.ok(build.apply(key)))
                .orElseGet(() -> Built.unavailable("API key variable " + variable + " is not set"));
    }

    public record Built(ModelClient client, String unavailableReason) {
        static Built ok(ModelClient client) {
            return new Built(client, null);
        }

        static Built unavailable(String reason) {
            return new Built(null, reason);
        }

        public boolean available() {
            return client != null;
        }
    }
}
