package dev.breakwater.providers;

import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.providers.http.UpstreamHttpClientBuilder;
import dev.breakwater.providers.local.LocalModelClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;

/** Builds the client of each configured model. Clients share one HTTP connection pool. */
@Singleton
public class ModelClientFactory {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final LocalEmbeddings embeddings;

    public ModelClientFactory(LocalEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    /** The client, or why the model cannot be used (e.g. its API key is not set). */
    public Built create(ModelConfig model, Duration timeout) {
        String modelId = model.model().orElse(model.name());
        return switch (model.provider()) {
            case LOCAL -> Built.ok(new LocalModelClient(embeddings.model(), modelId));
            case OPENAI -> withKey(model, key -> new LangChainAdapter(OpenAiChatModel.builder()
                    .baseUrl(model.baseUrl().orElse("https://api.openai.com/v1"))
                    .apiKey(key)
                    .modelName(modelId)
                    .timeout(timeout)
                    .maxRetries(0)
                    .httpClientBuilder(new UpstreamHttpClientBuilder(http))
                    .build(), modelId));
            case ANTHROPIC -> withKey(model, key -> new LangChainAdapter(AnthropicChatModel.builder()
                    .baseUrl(model.baseUrl().orElse("https://api.anthropic.com/v1/"))
                    .apiKey(key)
                    .modelName(modelId)
                    .maxTokens(1024)
                    .timeout(timeout)
                    .maxRetries(0)
                    .httpClientBuilder(new UpstreamHttpClientBuilder(http))
                    .build(), modelId));
        };
    }

    private static Built withKey(ModelConfig model, java.util.function.Function<String, ModelClient> build) {
        if (model.apiKeyEnv().isEmpty()) {
            // Self-hosted OpenAI-compatible servers often need no key; the client library insists on one.
            return Built.ok(build.apply("none"));
        }
        String variable = model.apiKeyEnv().get();
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
