package dev.breakwater.providers.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.EndpointConfig;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.providers.ApiKeys;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ChatUpstreamModelClient;
import dev.breakwater.providers.EmbeddingsUpstream;
import dev.breakwater.providers.LangChainAdapter;
import dev.breakwater.providers.LocalEmbeddings;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.anthropic.AnthropicChatUpstream;
import dev.breakwater.providers.bedrock.BedrockChatUpstream;
import dev.breakwater.providers.http.StreamTimeouts;
import dev.breakwater.providers.http.UpstreamHttpClient;
import dev.breakwater.providers.http.UpstreamHttpClientBuilder;
import dev.breakwater.providers.http.UpstreamPool;
import dev.breakwater.providers.local.Bulkhead;
import dev.breakwater.providers.local.LocalEmbedder;
import dev.breakwater.providers.local.LocalModelClient;
import dev.breakwater.providers.openai.OpenAiChatUpstream;
import dev.breakwater.providers.openai.OpenAiEmbeddings;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the client of each configured model. Clients share one {@link UpstreamPool}. The one class that knows
 * every provider, in a package of its own so that the providers' common types do not depend on the providers.
 */
@Singleton
public class ModelClientFactory {

    private static final String ANTHROPIC_URL = "https://api.anthropic.com/v1/";
    /** Google's OpenAI-compatible Gemini endpoint (docs/PROVIDERS.md says why not the native API). */
    private static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    private final UpstreamPool http;
    private final LocalEmbeddings embeddings;
    private final StreamTimeouts streamTimeouts;
    private final ObjectMapper json;
    private final Clock clock;
    /** One for the process, not per model or reload: the cores are shared whoever asks. */
    private final Bulkhead localBulkhead = Bulkhead.perCore();
    private AwsCredentialsProvider awsCredentials;

    public ModelClientFactory(LocalEmbeddings embeddings, GatewayConfig config, Vertx vertx, ObjectMapper json, Clock clock) {
        this.embeddings = embeddings;
        this.json = json;
        this.clock = clock;
        this.streamTimeouts = new StreamTimeouts(config.openai().firstTokenTimeout(), config.openai().idleTimeout());
        GatewayConfig.Upstream upstream = config.upstream();
        // A call holds its HTTP/1.1 connection (or HTTP/2 stream) until the whole answer is in, so the
        // pool bounds how many calls run at once per provider; calls beyond it wait, inside their timeout.
        this.http = UpstreamPool.create(vertx, new UpstreamPool.Settings(upstream.maxConnectionsPerHost(),
                upstream.connectTimeout(), upstream.keepAlive(), upstream.http2()));
    }

    /** The clients, or why the endpoint cannot be used (e.g. its API key is not set). */
    public Built create(EndpointConfig model, Duration timeout) {
        String modelId = model.modelId();
        return switch (model.provider()) {
            case LOCAL -> Built.ok(new LocalModelClient(embeddings.model(), modelId, localBulkhead), null,
                    new LocalEmbedder(embeddings.model(), model.service(), json.getFactory(), localBulkhead));
            case OPENAI -> openAi(modelId, model.baseUrl(), model.apiKeyEnv(), timeout);
            case ANTHROPIC -> withKey(model.apiKeyEnv(), key -> {
                ModelClient client = new LangChainAdapter(AnthropicChatModel.builder()
                        .baseUrl(model.baseUrl().orElse(ANTHROPIC_URL))
                        .apiKey(key)
                        .modelName(modelId)
                        .maxTokens(1024)
                        .timeout(timeout)
                        .maxRetries(0)
                        .httpClientBuilder(httpClientBuilder())
                        .build(), json, modelId);
                return Built.ok(client, new AnthropicChatUpstream(new UpstreamHttpClient(http, timeout, streamTimeouts), json, clock,
                        model.baseUrl().orElse(ANTHROPIC_URL), key, modelId, model.defaultMaxTokens()), null);
            });
            case AZURE_OPENAI -> azure(model, timeout);
            case BEDROCK -> {
                ChatUpstream chat = new BedrockChatUpstream(new UpstreamHttpClient(http, timeout, streamTimeouts), json, clock,
                        awsCredentials(), model.baseUrl().orElse(BedrockChatUpstream.endpoint(model.region().orElseThrow())),
                        model.region().orElseThrow(), modelId);
                yield Built.ok(new ChatUpstreamModelClient(chat, json, modelId), chat);
            }
            case GEMINI -> withKey(model.apiKeyEnv(), key -> {
                ChatUpstream chat = new OpenAiChatUpstream(new UpstreamHttpClient(http, timeout, streamTimeouts), json,
                        model.baseUrl().orElse(GEMINI_URL), key, modelId);
                return Built.ok(new ChatUpstreamModelClient(chat, json, modelId), chat);
            });
        };
    }

    /** Azure OpenAI: an Entra ID token when one is configured, else the resource's API key. */
    private Built azure(EndpointConfig model, Duration timeout) {
        boolean entra = model.azureAdTokenEnv().isPresent();
        return withKey(entra ? model.azureAdTokenEnv() : model.apiKeyEnv(), secret -> {
            ChatUpstream chat = OpenAiChatUpstream.azure(new UpstreamHttpClient(http, timeout, streamTimeouts), json,
                    model.baseUrl().orElseThrow(), model.azureDeployment().orElse(model.modelId()), model.apiVersion(),
                    entra ? "Authorization" : "api-key", entra ? "Bearer " + secret : secret, model.modelId());
            return Built.ok(new ChatUpstreamModelClient(chat, json, model.modelId()), chat);
        });
    }

    /**
     * The clients of any OpenAI-compatible server (configured models and the targets of wildcard
     * routes): LangChain4j for the categorization prompt, the raw pass-through for chat and embeddings.
     */
    public Built openAi(String modelId, Optional<String> baseUrl, Optional<String> apiKeyEnv, Duration timeout) {
        String url = baseUrl.orElse("https://api.openai.com/v1");
        return withKey(apiKeyEnv, key -> {
            UpstreamHttpClient raw = new UpstreamHttpClient(http, timeout, streamTimeouts);
            return Built.ok(
                    new LangChainAdapter(OpenAiChatModel.builder()
                            .baseUrl(url)
                            .apiKey(key)
                            .modelName(modelId)
                            .timeout(timeout)
                            .maxRetries(0)
                            .httpClientBuilder(httpClientBuilder())
                            .build(), json, modelId),
                    new OpenAiChatUpstream(raw, json, url, key, modelId),
                    new OpenAiEmbeddings(raw, json, url, key, modelId));
        });
    }

    /** The AWS SDK's default chain (environment, system properties, profile, container and instance roles), made once. */
    private synchronized AwsCredentialsProvider awsCredentials() {
        if (awsCredentials == null) {
            awsCredentials = DefaultCredentialsProvider.builder().build();
        }
        return awsCredentials;
    }

    private UpstreamHttpClientBuilder httpClientBuilder() {
        return new UpstreamHttpClientBuilder(http, streamTimeouts);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    private static Built withKey(Optional<String> apiKeyEnv, java.util.function.Function<String, Built> build) {
        if (apiKeyEnv.isEmpty()) {
            // Self-hosted OpenAI-compatible servers often need no key; the client library insists on one.
            return build.apply("none");
        }
        String variable = apiKeyEnv.get();
        return ApiKeys.resolve(variable)
                .map(build)
                .orElseGet(() -> Built.unavailable("API key variable " + variable + " is not set"));
    }

    /** {@code chat} is null for a model that does not chat (the local one), {@code embeddings} for one that cannot embed (Anthropic's). */
    public record Built(ModelClient client, ChatUpstream chat, EmbeddingsUpstream embeddings, String unavailableReason) {
        static Built ok(ModelClient client, ChatUpstream chat, EmbeddingsUpstream embeddings) {
            return new Built(client, chat, embeddings, null);
        }

        /** A provider whose embeddings API the gateway does not speak. */
        static Built ok(ModelClient client, ChatUpstream chat) {
            return ok(client, chat, null);
        }

        static Built unavailable(String reason) {
            return new Built(null, null, null, reason);
        }

        public boolean available() {
            return client != null;
        }
    }
}
