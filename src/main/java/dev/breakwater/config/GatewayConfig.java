package dev.breakwater.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole gateway configuration, mirroring {@code config/gateway.yaml} (everything under
 * {@code breakwater:}). Values are checked at start-up by {@link ConfigValidator}.
 */
@ConfigMapping(prefix = "breakwater")
public interface GatewayConfig {

    /** Whole-request budget: retries and fallbacks never run past it. */
    @WithDefault("60s")
    Duration requestDeadline();

    /**
     * {@code /v1} calls a replica holds at once; more are answered 503 with Retry-After. Unset: what the
     * heap holds at 24 KB a call (api.InFlightLimit).
     */
    Optional<Integer> maxInFlight();

    /** Answers whose confidence is below this are rejected and the next model is tried. */
    @WithDefault("0.6")
    double minQuality();

    Categorize categorize();

    Resilience resilience();

    /** Every model the gateway knows, in default chain order. */
    List<ModelConfig> models();

    /** Named chains; a chain lists model names in the order they are tried. */
    Map<String, ChainConfig> chains();

    /** Taxonomies declared in YAML, beside the built-in ones. */
    Map<String, TaxonomyConfig> taxonomies();

    Cache cache();

    Admin admin();

    /**
     * Other protected dependencies by service name (factor_broker, llm_service, erp_connector...):
     * each gets its own breaker at start-up; values left out fall back to the global {@code resilience} block.
     */
    Map<String, Dependency> dependencies();

    Factors factors();

    /** The OpenAI-compatible API: {@code POST /v1/chat/completions}, {@code GET /v1/models}. */
    OpenAi openai();

    /**
     * Wildcard routes, tried in order, for model ids that name no chain and no configured model:
     * {@code openai/*} forwards the rest of the id, {@code *} forwards the id unchanged.
     */
    List<RouteConfig> routes();

    /** The connection pool every model provider's calls share. */
    Upstream upstream();

    /** Who may call {@code /v1/*}: anyone ({@code open}) or holders of a caller key ({@code keys}). */
    Auth auth();

    /** Traffic the gateway sends itself before it reports ready, so its first callers meet compiled code. */
    WarmUp warmUp();

    enum AuthMode { OPEN, KEYS }

    interface Auth {
        @WithDefault("open")
        AuthMode mode();

        /** Prefix of the Redis keys and channel holding caller keys, their counters and usage; one per gateway fleet. */
        @WithDefault("breakwater")
        String redisPrefix();

        /**
         * How often each replica re-reads the whole key table from Redis: the safety net under the
         * pub/sub invalidations (a message lost while the subscription was down).
         */
        @WithDefault("30s")
        Duration syncInterval();

        /** Keys declared for GitOps; each secret is read from the environment variable {@code key-env}. */
        List<DeclaredKey> keys();
    }

    interface DeclaredKey {
        String name();

        /** Name of the environment variable holding the key; the key itself never sits in YAML. */
        String keyEnv();

        /** Chains, models and route patterns the key may name; {@code *} (the default) is every one. */
        Optional<List<String>> models();

        /** Requests per minute. */
        Optional<Long> rpm();

        /** Tokens (prompt + completion, from the answers' usage) per minute. */
        Optional<Long> tpm();

        /** Spend allowed per {@code budget-period}, in USD, priced with the models' {@code price}. */
        Optional<Double> budgetUsd();

        @WithDefault("30d")
        Duration budgetPeriod();
    }

    /** USD per one million tokens. */
    interface Price {
        double input();

        double output();
    }

    /**
     * Shifts this replica's clock (every timestamp it reports and every deadline it computes), for drills
     * that give one replica of a fleet a skewed clock. Leave it at 0 in production.
     */
    @WithDefault("0s")
    Duration clockOffset();

    interface Upstream {
        /**
         * Open connections per provider host. A call holds one for its whole answer, so this caps the
         * calls in flight to one provider; calls beyond it queue, still bounded by their timeout.
         */
        @WithDefault("4096")
        int maxConnectionsPerHost();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Idle pooled connections are closed after this. */
        @WithDefault("60s")
        Duration keepAlive();

        /**
         * HTTPS upstreams are offered HTTP/2 in the TLS handshake (kept on HTTP/1.1 when they decline):
         * one connection then carries many calls. Plain {@code http://} upstreams always use HTTP/1.1.
         */
        @WithDefault("true")
        boolean http2();
    }

    interface WarmUp {
        /**
         * Chat requests the gateway serves itself, through its own port and against a loopback model of its
         * own, before it reports ready (docs/OPERATIONS.md, "Warm-up"). Counted in requests rather than
         * seconds because the JIT compiles after so many calls, however much CPU the pod gets. 0 turns it off.
         */
        @WithDefault("0")
        int requests();

        /** Ready after this at the latest, however many warm-up requests were served by then. */
        @WithDefault("60s")
        Duration maxDuration();

        /** Warm-up requests in flight at once. */
        @WithDefault("8")
        int concurrency();
    }

    interface OpenAi {
        /** A streamed answer whose first event does not arrive this long after the headers fails the attempt. */
        @WithDefault("10s")
        Duration firstTokenTimeout();

        /** A streamed answer silent this long between two events fails the attempt. */
        @WithDefault("10s")
        Duration idleTimeout();

        /** Largest accepted chat request body; larger bodies get 413. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** How many distinct routed model ids keep a breaker; the least recently used beyond this are forgotten. */
        @WithDefault("256")
        int maxRoutedModels();

        /** Most names a chat or embeddings request may list in {@code fallbacks}; more is a 400. */
        @WithDefault("4")
        int maxFallbacks();
    }

    interface RouteConfig {
        /** {@code prefix/*} or {@code *}. */
        String match();

        /** Base URL of the OpenAI-compatible provider, e.g. {@code https://api.openai.com/v1}. */
        String baseUrl();

        Optional<String> apiKeyEnv();

        /** Per-attempt timeout; defaults to {@code resilience.timeout.llm-api}. */
        Optional<Duration> timeout();

        Optional<CircuitBreakerOverride> circuitBreaker();

        Optional<RetryOverride> retry();

        /** Price of every model reached through this route; unset: costs of those models are not reported. */
        Optional<Price> price();
    }
    Health health();

    /** Traces (quarkus.otel.*: off by default) and what they may carry. */
    Telemetry telemetry();

    interface Categorize {
        @WithDefault("categorizer")
        String chain();

        @WithDefault("ghg-scope3")
        String defaultTaxonomy();

        /** Longest accepted {@code text}, in UTF-8 bytes. */
        @WithDefault("8192")
        int maxTextBytes();

        /** Longest accepted request body; larger bodies get 413. */
        @WithDefault("65536")
        int maxBodyBytes();
    }

    interface Resilience {
        CircuitBreaker circuitBreaker();

        Retry retry();

        Timeouts timeout();

        /** {@code redis}: replicas tell each other when a breaker opens or closes (docs/DEPLOY.md). */
        @WithDefault("none")
        SharedState sharedState();

        /** Prefix of the Redis channel and keys of the shared breaker state; one per gateway fleet. */
        @WithDefault("breakwater")
        String sharedPrefix();
    }

    enum SharedState { NONE, REDIS }

    interface CircuitBreaker {
        @WithDefault("5")
        int failureThreshold();

        @WithDefault("60s")
        Duration recoveryTimeout();

        @WithDefault("3")
        int successThreshold();
    }

    interface Retry {
        @WithDefault("3")
        int maxRetries();

        @WithDefault("1s")
        Duration baseDelay();

        @WithDefault("10s")
        Duration maxDelay();

        @WithDefault("2")
        double exponentialBase();

        /**
         * Floor under the jittered delay: full jitter alone can draw 0 ms and turn retries into a
         * tight loop against a struggling upstream.
         */
        @WithDefault("500ms")
        Duration minDelay();
    }

    interface Timeouts {
        @WithName("default")
        @WithDefault("30s")
        Duration defaultTimeout();

        @WithDefault("45s")
        Duration llmApi();

        @WithDefault("30s")
        Duration factorBroker();

        @WithDefault("60s")
        Duration erpConnector();
    }

    /** Per-model overrides: each value left out falls back to the global {@code resilience} block. */
    interface CircuitBreakerOverride {
        Optional<Integer> failureThreshold();

        Optional<Duration> recoveryTimeout();

        Optional<Integer> successThreshold();
    }

    interface RetryOverride {
        Optional<Integer> maxRetries();

        Optional<Duration> baseDelay();

        Optional<Duration> maxDelay();

        Optional<Double> exponentialBase();

        Optional<Duration> minDelay();
    }

    interface ModelConfig extends ProviderSettings {
        String name();

        /** Required unless the model lists {@link #deployments()}, which then name their own. */
        Optional<Provider> provider();

        /** The provider's model id; defaults to {@link #name()}. */
        Optional<String> model();

        Optional<String> baseUrl();

        /** Name of the environment variable holding the API key; the key itself never sits in YAML. */
        Optional<String> apiKeyEnv();

        /** Per-attempt timeout; defaults to {@code resilience.timeout.llm-api}. */
        Optional<Duration> timeout();

        /**
         * Anthropic only: the output limit sent when a chat request sets none ({@code max_tokens} is
         * required by the Messages API, optional in OpenAI's).
         */
        @WithDefault("4096")
        int defaultMaxTokens();

        @WithDefault("true")
        boolean enabled();

        Optional<CircuitBreakerOverride> circuitBreaker();

        Optional<RetryOverride> retry();

        /** Unset: the cost of this model's answers is not reported (never guessed). */
        Optional<Price> price();

        /**
         * Marks an embeddings model and names the vector space its embeddings live in: vectors of two
         * spaces must never be mixed, so an embeddings chain only holds models of one space. Models
         * that declare one serve {@code POST /v1/embeddings} and never chat. The local model's space
         * is fixed ({@code all-minilm-l6-v2}).
         */
        Optional<String> embeddingSpace();
        /**
         * The endpoints serving this model, instead of the single one above ({@code provider}, {@code model},
         * {@code base-url}, {@code api-key-env} then stay unset). Each gets its own breaker, retries and metrics
         * with the model's {@code timeout}, {@code circuit-breaker} and {@code retry} settings.
         */
        Optional<List<DeploymentConfig>> deployments();
    }

    /** Settings only some providers read, on a model and on each of its deployments alike. */
    interface ProviderSettings {
        /** Cloud region (Bedrock). */
        Optional<String> region();

        /** Azure OpenAI deployment name (part of the URL); defaults to the model id. */
        Optional<String> deployment();

        /** Azure OpenAI {@code api-version} query parameter. */
        @WithDefault("2024-10-21")
        String apiVersion();

        /** Azure OpenAI: variable holding an Entra ID access token, sent as a bearer token instead of {@code api-key}. */
        Optional<String> azureAdTokenEnv();
    }

    /** One endpoint of a model served by several: picked by {@code weight} among those whose breaker is closed. */
    interface DeploymentConfig extends ProviderSettings {
        Provider provider();

        /** The breaker's (service's) name; defaults to {@code {model}/{n}}, n counting from 0 in list order. */
        Optional<String> name();

        /** The provider's model id; defaults to the model's name. */
        Optional<String> model();

        Optional<String> baseUrl();

        Optional<String> apiKeyEnv();

        /** Relative share of the calls while every deployment is healthy. */
        @WithDefault("1")
        int weight();
    }

    interface ChainConfig {
        List<String> models();

        /** {@code chat} (chat and categorization) or {@code embeddings}: its models must then share one embedding-space. */
        @WithDefault("chat")
        ChainKind kind();

        /**
         * A content-policy refusal is about the caller's input, so by default it ends the request with
         * 422; set true to try the next model instead.
         */
        @WithDefault("false")
        boolean contentPolicyFallback();

        /**
         * An upstream's rejection of the caller's request as invalid (a bad parameter) is the caller's
         * to fix, so by default it is relayed at once; set true to try the next model instead.
         */
        @WithDefault("false")
        boolean callerErrorFallback();

        /** Overrides the global {@code min-quality} for this chain. */
        Optional<Double> minQuality();
    }

    interface TaxonomyConfig {
        Optional<String> defaultCategory();

        List<CategoryConfig> categories();
    }

    interface CategoryConfig {
        String id();

        String label();

        @WithDefault("")
        String description();

        Optional<List<String>> examples();
    }

    interface Cache {
        @WithDefault("true")
        boolean enabled();

        /** How long an answer counts as fresh and is served instead of calling a model. */
        @WithDefault("24h")
        Duration ttl();

        /** How long a stale answer is kept for the all-models-failed fallback. */
        @WithDefault("7d")
        Duration retention();

        /** Redis must never slow a request down by more than this. */
        @WithDefault("250ms")
        Duration timeout();

        CircuitBreaker circuitBreaker();
    }

    interface Admin {
        /**
         * Bearer token of the {@code /admin} API; unset disables the API. Never put it in YAML: set
         * {@code BREAKWATER_ADMIN_TOKEN} in the environment (or a mounted secret).
         */
        Optional<String> token();
    }

    interface Dependency {
        Optional<CircuitBreakerOverride> circuitBreaker();

        Optional<RetryOverride> retry();

        /** Per-attempt timeout; defaults to the matching {@code resilience.timeout} entry, else its default. */
        Optional<Duration> timeout();
    }

    /** The emission-factor broker: upstream API, then Redis, then the defaults table. */
    interface Factors {
        /** Upstream root; factors are read from {@code {base-url}/v1/factors/{category}}. Unset: only the cache and the defaults answer. */
        Optional<String> baseUrl();

        /** Name of the environment variable holding the broker's API key (sent as a bearer token), if it needs one. */
        Optional<String> apiKeyEnv();

        /** How long an upstream answer stays in Redis for the upstream-down fallback. */
        @WithDefault("24h")
        Duration cacheTtl();

        /** Last-resort factors by category, served as degraded when neither the upstream nor the cache has one. */
        Map<String, FactorDefault> defaults();
    }

    interface FactorDefault {
        double factor();

        String unit();

        /** Where the number comes from (publication, edition, table). */
        Optional<String> reference();
    }

    interface Health {
        /** Longest a {@code /health/dependencies} probe (Redis ping, TCP connect to a provider) may take. */
        @WithDefault("2s")
        Duration probeTimeout();
    }

    interface Telemetry {
        /**
         * Whether attempt spans carry the messages sent to and received from models
         * ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}). Off: callers' text stays out of traces.
         */
        @WithDefault("false")
        boolean recordContent();
    }
}
