package dev.breakwater.config;

import dev.breakwater.config.GatewayConfig.ModelConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks what the typed mapping cannot: ranges, references between sections, a usable chain.
 * Every problem names the YAML key so the operator knows where to look.
 */
public final class ConfigValidator {

    private static final Duration MAX_WARM_UP = Duration.ofMinutes(10);
    /** The warm-up's own model, which exists only while the gateway warms itself up. */
    public static final String WARM_UP_MODEL = "breakwater-warm-up";

    private ConfigValidator() {
    }

    public static List<String> problems(GatewayConfig config, Set<String> builtInTaxonomies) {
        List<String> problems = new ArrayList<>();
        Consumer<String> add = problems::add;
        String p = "breakwater.";
        positive(add, p + "request-deadline", config.requestDeadline().toMillis());
        config.maxInFlight().ifPresent(max -> positive(add, p + "max-in-flight", max));
        positive(add, p + "health.probe-timeout", config.health().probeTimeout().toMillis());
        if (config.minQuality() < 0 || config.minQuality() > 1) {
            add.accept(p + "min-quality must be between 0 and 1, got " + config.minQuality());
        }
        var r = config.resilience();
        breaker(add, p + "resilience.circuit-breaker", r.circuitBreaker());
        String retry = p + "resilience.retry";
        check(add, retry + ".max-retries", ResilienceLimits.retries(r.retry().maxRetries()));
        check(add, retry + ".base-delay", ResilienceLimits.duration(r.retry().baseDelay(), false));
        check(add, retry + ".max-delay", ResilienceLimits.duration(r.retry().maxDelay(), false));
        check(add, retry + ".min-delay", ResilienceLimits.duration(r.retry().minDelay(), false));
        check(add, retry + ".min-delay", ResilienceLimits.delays(r.retry().minDelay(), r.retry().maxDelay()));
        check(add, retry + ".exponential-base", ResilienceLimits.exponentialBase(r.retry().exponentialBase()));
        check(add, p + "resilience.timeout.default", ResilienceLimits.duration(r.timeout().defaultTimeout(), true));
        check(add, p + "resilience.timeout.llm-api", ResilienceLimits.duration(r.timeout().llmApi(), true));
        check(add, p + "resilience.timeout.factor-broker", ResilienceLimits.duration(r.timeout().factorBroker(), true));
        check(add, p + "resilience.timeout.erp-connector", ResilienceLimits.duration(r.timeout().erpConnector(), true));
        if (r.sharedPrefix().isBlank() || r.sharedPrefix().chars().anyMatch(Character::isWhitespace)) {
            add.accept(p + "resilience.shared-prefix must be a non-blank word, got '" + r.sharedPrefix() + "'");
        }
        if (r.sharedPrefix().contains("{") || r.sharedPrefix().contains("}")) {
            // The prefix goes inside each service's Redis Cluster hash tag: a brace would end the tag early.
            add.accept(p + "resilience.shared-prefix must not contain '{' or '}', got '" + r.sharedPrefix() + "'");
        }
        if (config.models().isEmpty()) {
            add.accept(p + "models is empty: the chain needs at least one model");
        }
        Set<String> names = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (int i = 0; i < config.models().size(); i++) {
            ModelConfig m = config.models().get(i);
            String key = p + "models[" + i + "]";
            if (!names.add(m.name())) {
                add.accept(key + ".name '" + m.name() + "' is used twice: every model needs its own breaker");
            }
            if (m.deployments().isPresent()) {
                deployments(add, key, m, services);
            } else if (m.provider().isEmpty()) {
                add.accept(key + " (" + m.name() + ") needs a provider, or a list of deployments");
            } else {
                if (m.provider().get() != Provider.LOCAL) {
                    m.baseUrl().ifPresent(u -> httpUrl(add, key + ".base-url", u));
                }
                EndpointConfig.of(m).forEach(e -> providerSettings(add, key, e));
            }
            m.timeout().ifPresent(t -> check(add, key + ".timeout", ResilienceLimits.duration(t, true)));
            positive(add, key + ".default-max-tokens", m.defaultMaxTokens());
            overrides(add, key, r.retry(), m.circuitBreaker(), m.retry());
            m.embeddingSpace().ifPresent(space -> EndpointConfig.of(m).stream().map(EndpointConfig::provider).distinct()
                    .forEach(provider -> embeddingSpace(add, key + ".embedding-space", provider, space)));
        }
        services.stream().filter(names::contains).sorted()
                .forEach(s -> add.accept(p + "models: '" + s + "' names both a model and a deployment: every breaker needs its own name"));
        config.chains().forEach((name, chain) -> {
            String key = p + "chains." + name + ".models";
            if (chain.models().isEmpty()) {
                add.accept(key + " is empty");
            }
            chain.models().stream().filter(n -> !names.contains(n))
                    .forEach(n -> add.accept(key + " names unknown model '" + n + "' (known: " + names + ")"));
            chain.minQuality().filter(q -> q < 0 || q > 1)
                    .ifPresent(q -> add.accept(p + "chains." + name + ".min-quality must be between 0 and 1, got " + q));
            chainSpaces(add, p + "chains." + name, chain, config.models());
        });
        String chain = config.categorize().chain();
        if (!chain.equals("default") && !config.chains().containsKey(chain)) {
            add.accept(p + "categorize.chain names unknown chain '" + chain + "'");
        } else if (config.chains().containsKey(chain) && config.chains().get(chain).kind() == ChainKind.EMBEDDINGS) {
            add.accept(p + "categorize.chain names embeddings chain '" + chain + "': categorization needs a chat chain");
        }
        Set<String> taxonomies = new HashSet<>(builtInTaxonomies);
        taxonomies.addAll(config.taxonomies().keySet());
        if (!taxonomies.contains(config.categorize().defaultTaxonomy())) {
            add.accept(p + "categorize.default-taxonomy names unknown taxonomy '" + config.categorize().defaultTaxonomy() + "'");
        }
        positive(add, p + "categorize.max-text-bytes", config.categorize().maxTextBytes());
        positive(add, p + "categorize.max-body-bytes", config.categorize().maxBodyBytes());
        config.taxonomies().forEach((id, t) -> {
            if (t.categories().isEmpty()) {
                add.accept(p + "taxonomies." + id + ".categories is empty");
            }
            t.defaultCategory().filter(d -> t.categories().stream().noneMatch(c -> c.id().equals(d)))
                    .ifPresent(d -> add.accept(p + "taxonomies." + id + ".default-category '" + d + "' is not one of its categories"));
        });
        routes(add, p, config);
        positive(add, p + "openai.first-token-timeout", config.openai().firstTokenTimeout().toMillis());
        positive(add, p + "openai.idle-timeout", config.openai().idleTimeout().toMillis());
        positive(add, p + "openai.max-routed-models", config.openai().maxRoutedModels());
        positive(add, p + "openai.max-fallbacks", config.openai().maxFallbacks());
        positive(add, p + "upstream.max-connections-per-host", config.upstream().maxConnectionsPerHost());
        positive(add, p + "upstream.connect-timeout", config.upstream().connectTimeout().toMillis());
        positive(add, p + "upstream.keep-alive", config.upstream().keepAlive().toSeconds());
        warmUp(add, p, config);
        breaker(add, p + "cache.circuit-breaker", config.cache().circuitBreaker());
        check(add, p + "cache.timeout", ResilienceLimits.duration(config.cache().timeout(), true));
        config.dependencies().forEach((name, d) -> {
            String key = p + "dependencies." + name;
            overrides(add, key, r.retry(), d.circuitBreaker(), d.retry());
            d.timeout().ifPresent(t -> check(add, key + ".timeout", ResilienceLimits.duration(t, true)));
        });
        factors(add, p + "factors", config.factors());
        auth(add, p + "auth", config.auth());
        for (int i = 0; i < config.models().size(); i++) {
            price(add, p + "models[" + i + "].price", config.models().get(i).price());
        }
        for (int i = 0; i < config.routes().size(); i++) {
            price(add, p + "routes[" + i + "].price", config.routes().get(i).price());
        }
        return problems;
    }

    private static void auth(Consumer<String> add, String key, GatewayConfig.Auth auth) {
        if (auth.redisPrefix().isBlank() || auth.redisPrefix().chars().anyMatch(Character::isWhitespace)) {
            add.accept(key + ".redis-prefix must be a non-blank word, got '" + auth.redisPrefix() + "'");
        }
        if (auth.redisPrefix().contains("{") || auth.redisPrefix().contains("}")) {
            // The prefix goes inside each key's Redis Cluster hash tag: a brace would end the tag early.
            add.accept(key + ".redis-prefix must not contain '{' or '}', got '" + auth.redisPrefix() + "'");
        }
        positive(add, key + ".sync-interval", auth.syncInterval().toMillis());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < auth.keys().size(); i++) {
            GatewayConfig.DeclaredKey k = auth.keys().get(i);
            String at = key + ".keys[" + i + "]";
            if (!k.name().matches("[A-Za-z0-9._-]{1,64}")) {
                add.accept(at + ".name must be 1-64 letters, digits, '.', '_' or '-', got '" + k.name() + "'");
            }
            if (!names.add(k.name())) {
                add.accept(at + ".name '" + k.name() + "' is used twice: key names label the metrics");
            }
            if (k.keyEnv().isBlank()) {
                add.accept(at + ".key-env must name the environment variable holding the key");
            }
            k.rpm().ifPresent(v -> positive(add, at + ".rpm", v));
            k.tpm().ifPresent(v -> positive(add, at + ".tpm", v));
            k.budgetUsd().filter(v -> v < 0).ifPresent(v -> add.accept(at + ".budget-usd must not be negative, got " + v));
            if (k.budgetPeriod().toSeconds() < 60) {
                add.accept(at + ".budget-period must be at least 1m, got " + k.budgetPeriod());
            }
            k.models().filter(List::isEmpty).ifPresent(m -> add.accept(at + ".models is empty: leave it out for every model"));
        }
    }

    private static void warmUp(Consumer<String> add, String p, GatewayConfig config) {
        GatewayConfig.WarmUp warmUp = config.warmUp();
        if (warmUp.requests() < 0 || warmUp.requests() > 10_000_000) {
            add.accept(p + "warm-up.requests must be between 0 (off) and 10000000, not " + warmUp.requests());
        }
        if (warmUp.maxDuration().toSeconds() < 1 || warmUp.maxDuration().compareTo(MAX_WARM_UP) > 0) {
            add.accept(p + "warm-up.max-duration must be between 1s and " + MAX_WARM_UP.toSeconds() + "s, not "
                    + warmUp.maxDuration().toSeconds() + "s");
        }
        if (warmUp.concurrency() < 1 || warmUp.concurrency() > 256) {
            add.accept(p + "warm-up.concurrency must be between 1 and 256, not " + warmUp.concurrency());
        }
        if (config.models().stream().anyMatch(m -> m.name().equals(WARM_UP_MODEL)) || config.chains().containsKey(WARM_UP_MODEL)) {
            add.accept(p + "models/chains: the name " + WARM_UP_MODEL + " is the gateway's own (warm-up); choose another");
        }
    }

    private static void price(Consumer<String> add, String key, Optional<GatewayConfig.Price> price) {
        price.filter(pr -> pr.input() < 0 || pr.output() < 0).ifPresent(pr ->
                add.accept(key + " must not be negative, got input " + pr.input() + ", output " + pr.output()));
    }

    private static void embeddingSpace(Consumer<String> add, String key, Provider provider, String space) {
        if (!space.matches("[A-Za-z0-9._:/-]{1,128}")) {
            add.accept(key + " must be 1-128 characters of letters, digits and . _ : / -, got '" + space + "'");
        } else if (!provider.embeds()) {
            add.accept(key + ": provider " + provider.id() + " has no embeddings API");
        } else if (provider.fixedEmbeddingSpace().filter(fixed -> !fixed.equals(space)).isPresent()) {
            add.accept(key + " of a " + provider.id() + " model is always '" + provider.fixedEmbeddingSpace().get()
                    + "', got '" + space + "'");
        }
    }

    /**
     * An embeddings chain must hold models of one vector space (falling over between two spaces would
     * hand the caller vectors it cannot compare with its stored ones); a chat chain holds no embeddings model.
     */
    private static void chainSpaces(Consumer<String> add, String key, GatewayConfig.ChainConfig chain, List<ModelConfig> models) {
        Map<String, String> spaces = new LinkedHashMap<>();
        for (String name : chain.models()) {
            models.stream().filter(m -> m.name().equals(name)).findFirst().ifPresent(m -> {
                Optional<String> space = m.embeddingSpace().or(() -> m.provider().flatMap(Provider::fixedEmbeddingSpace));
                if (chain.kind() == ChainKind.CHAT && m.embeddingSpace().isPresent() && m.provider().orElse(null) != Provider.LOCAL) {
                    add.accept(key + ".models names embeddings model '" + name + "' (embedding-space " + space.get()
                            + ") in a chat chain: set kind: embeddings or remove it");
                } else if (chain.kind() == ChainKind.EMBEDDINGS) {
                    space.ifPresentOrElse(s -> spaces.put(name, s), () -> add.accept(key + ".models names '" + name
                            + "', which declares no embedding-space: every model of an embeddings chain must declare one"));
                }
            });
        }
        if (new HashSet<>(spaces.values()).size() > 1) {
            add.accept(key + ".models mixes embedding spaces " + spaces
                    + ": falling over between them would mix vector spaces; an embeddings chain holds one space");
        }
    }

    /**
     * A model served by several deployments: the endpoint settings live in the deployments, and every
     * deployment's breaker name is unique among models and deployments.
     */
    private static void deployments(Consumer<String> add, String key, ModelConfig m, Set<String> services) {
        if (m.provider().isPresent() || m.baseUrl().isPresent() || m.apiKeyEnv().isPresent() || m.model().isPresent()) {
            add.accept(key + " (" + m.name() + ") lists deployments: set provider, model, base-url and api-key-env in each deployment, not on the model");
        }
        List<GatewayConfig.DeploymentConfig> deployments = m.deployments().orElseThrow();
        if (deployments.isEmpty()) {
            add.accept(key + ".deployments is empty: list at least one, or drop it and configure the model itself");
        }
        for (int j = 0; j < deployments.size(); j++) {
            GatewayConfig.DeploymentConfig d = deployments.get(j);
            String dkey = key + ".deployments[" + j + "]";
            if (d.provider() == Provider.LOCAL) {
                add.accept(dkey + ".provider local cannot be a deployment: the in-process model is a model of its own");
            }
            d.baseUrl().ifPresent(u -> httpUrl(add, dkey + ".base-url", u));
            positive(add, dkey + ".weight", d.weight());
            EndpointConfig endpoint = EndpointConfig.of(m).get(j);
            providerSettings(add, dkey, endpoint);
            String service = endpoint.service();
            if (!services.add(service)) {
                add.accept(dkey + ".name '" + service + "' is used twice: every deployment needs its own breaker");
            }
        }
    }

    /** What each provider needs beyond the common settings. */
    private static void providerSettings(Consumer<String> add, String key, EndpointConfig e) {
        if (e.provider() == Provider.BEDROCK && e.region().filter(r -> r.matches("[a-z0-9-]+")).isEmpty()) {
            add.accept(key + ".region is required for bedrock (e.g. eu-west-1), got " + e.region().orElse("nothing"));
        }
        if (e.provider() == Provider.AZURE_OPENAI) {
            if (e.baseUrl().isEmpty()) {
                add.accept(key + ".base-url is required for azure-openai (https://{resource}.openai.azure.com)");
            }
            if (e.apiKeyEnv().isEmpty() && e.azureAdTokenEnv().isEmpty()) {
                add.accept(key + " (azure-openai) needs api-key-env or azure-ad-token-env");
            }
            if (e.apiVersion().isBlank()) {
                add.accept(key + ".api-version must not be blank");
            }
        }
    }

    private static void routes(Consumer<String> add, String p, GatewayConfig config) {
        for (int i = 0; i < config.routes().size(); i++) {
            GatewayConfig.RouteConfig route = config.routes().get(i);
            String key = p + "routes[" + i + "]";
            if (!route.match().endsWith("*") || route.match().indexOf('*') != route.match().length() - 1) {
                add.accept(key + ".match must be 'prefix/*' or '*' (one trailing *), got '" + route.match() + "'");
            }
            httpUrl(add, key + ".base-url", route.baseUrl());
            route.timeout().ifPresent(t -> check(add, key + ".timeout", ResilienceLimits.duration(t, true)));
            overrides(add, key, config.resilience().retry(), route.circuitBreaker(), route.retry());
        }
    }

    private static void factors(Consumer<String> add, String key, GatewayConfig.Factors factors) {
        factors.baseUrl().ifPresent(u -> httpUrl(add, key + ".base-url", u));
        if (factors.cacheTtl().toSeconds() < 1) {
            add.accept(key + ".cache-ttl must be at least 1s (Redis expiry counts whole seconds), got " + factors.cacheTtl().toMillis() + " ms");
        }
        factors.defaults().forEach((category, d) -> {
            String entry = key + ".defaults." + category;
            if (!FactorCategory.isValid(category)) {
                add.accept(entry + ": a category must be " + FactorCategory.RULE + ", so no request could reach this default");
            }
            if (!Double.isFinite(d.factor())) {
                add.accept(entry + ".factor must be a finite number, got " + d.factor());
            }
            if (d.unit().isBlank()) {
                add.accept(entry + ".unit must not be blank");
            }
        });
    }

    /**
     * Per-service overrides (a model, a route or a dependency): the values given are checked, and the
     * delays as they combine with the global ones.
     */
    private static void overrides(Consumer<String> add, String key, GatewayConfig.Retry global,
                                  Optional<GatewayConfig.CircuitBreakerOverride> breaker, Optional<GatewayConfig.RetryOverride> retry) {
        breaker.ifPresent(cb -> {
            cb.failureThreshold().ifPresent(v -> check(add, key + ".circuit-breaker.failure-threshold", ResilienceLimits.threshold(v)));
            cb.successThreshold().ifPresent(v -> check(add, key + ".circuit-breaker.success-threshold", ResilienceLimits.threshold(v)));
            cb.recoveryTimeout().ifPresent(v -> check(add, key + ".circuit-breaker.recovery-timeout", ResilienceLimits.duration(v, false)));
        });
        retry.ifPresent(rt -> {
            rt.maxRetries().ifPresent(v -> check(add, key + ".retry.max-retries", ResilienceLimits.retries(v)));
            rt.baseDelay().ifPresent(v -> check(add, key + ".retry.base-delay", ResilienceLimits.duration(v, false)));
            rt.maxDelay().ifPresent(v -> check(add, key + ".retry.max-delay", ResilienceLimits.duration(v, false)));
            rt.minDelay().ifPresent(v -> check(add, key + ".retry.min-delay", ResilienceLimits.duration(v, false)));
            rt.exponentialBase().ifPresent(v -> check(add, key + ".retry.exponential-base", ResilienceLimits.exponentialBase(v)));
            if (rt.minDelay().isPresent() || rt.maxDelay().isPresent()) {
                check(add, key + ".retry.min-delay", ResilienceLimits.delays(rt.minDelay().orElse(global.minDelay()),
                        rt.maxDelay().orElse(global.maxDelay())));
            }
        });
    }

    private static void check(Consumer<String> add, String key, Optional<String> problem) {
        problem.ifPresent(why -> add.accept(key + " " + why));
    }

    private static void httpUrl(Consumer<String> add, String key, String url) {
        if (!url.matches("https?://.+")) {
            add.accept(key + " must start with http:// or https://, got '" + url + "'");
        }
    }

    private static void breaker(Consumer<String> add, String key, GatewayConfig.CircuitBreaker cb) {
        check(add, key + ".failure-threshold", ResilienceLimits.threshold(cb.failureThreshold()));
        check(add, key + ".success-threshold", ResilienceLimits.threshold(cb.successThreshold()));
        check(add, key + ".recovery-timeout", ResilienceLimits.duration(cb.recoveryTimeout(), false));
    }

    private static void positive(Consumer<String> add, String key, long value) {
        if (value <= 0) {
            add.accept(key + " must be positive, got " + value);
        }
    }

}
