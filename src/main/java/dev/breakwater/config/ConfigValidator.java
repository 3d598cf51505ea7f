package dev.breakwater.config;

import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.factors.FactorCategory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks what the typed mapping cannot: ranges, references between sections, a usable chain.
 * Every problem names the YAML key so the operator knows where to look.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    public static List<String> problems(GatewayConfig config, Set<String> builtInTaxonomies) {
        List<String> problems = new ArrayList<>();
        Consumer<String> add = problems::add;
        String p = "breakwater.";
        positive(add, p + "request-deadline", config.requestDeadline().toMillis());
        positive(add, p + "health.probe-timeout", config.health().probeTimeout().toMillis());
        if (config.minQuality() < 0 || config.minQuality() > 1) {
            add.accept(p + "min-quality must be between 0 and 1, got " + config.minQuality());
        }
        var r = config.resilience();
        breaker(add, p + "resilience.circuit-breaker", r.circuitBreaker());
        nonNegative(add, p + "resilience.retry.max-retries", r.retry().maxRetries());
        nonNegative(add, p + "resilience.retry.base-delay", r.retry().baseDelay().toMillis());
        nonNegative(add, p + "resilience.retry.max-delay", r.retry().maxDelay().toMillis());
        if (r.retry().exponentialBase() < 1) {
            add.accept(p + "resilience.retry.exponential-base must be at least 1, got " + r.retry().exponentialBase());
        }
        if (r.sharedPrefix().isBlank() || r.sharedPrefix().chars().anyMatch(Character::isWhitespace)) {
            add.accept(p + "resilience.shared-prefix must be a non-blank word, got '" + r.sharedPrefix() + "'");
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
            m.timeout().ifPresent(t -> positive(add, key + ".timeout", t.toMillis()));
            positive(add, key + ".default-max-tokens", m.defaultMaxTokens());
            overrides(add, key, m.circuitBreaker(), m.retry());
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
        });
        String chain = config.categorize().chain();
        if (!chain.equals("default") && !config.chains().containsKey(chain)) {
            add.accept(p + "categorize.chain names unknown chain '" + chain + "'");
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
        breaker(add, p + "cache.circuit-breaker", config.cache().circuitBreaker());
        positive(add, p + "cache.timeout", config.cache().timeout().toMillis());
        config.dependencies().forEach((name, d) -> {
            String key = p + "dependencies." + name;
            overrides(add, key, d.circuitBreaker(), d.retry());
            d.timeout().ifPresent(t -> positive(add, key + ".timeout", t.toMillis()));
        });
        factors(add, p + "factors", config.factors());
        return problems;
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
            route.timeout().ifPresent(t -> positive(add, key + ".timeout", t.toMillis()));
            overrides(add, key, route.circuitBreaker(), route.retry());
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

    /** Per-service overrides (a model or a dependency): only the values given are checked. */
    private static void overrides(Consumer<String> add, String key, Optional<GatewayConfig.CircuitBreakerOverride> breaker,
                                  Optional<GatewayConfig.RetryOverride> retry) {
        breaker.ifPresent(cb -> {
            cb.failureThreshold().ifPresent(v -> positive(add, key + ".circuit-breaker.failure-threshold", v));
            cb.successThreshold().ifPresent(v -> positive(add, key + ".circuit-breaker.success-threshold", v));
            cb.recoveryTimeout().ifPresent(v -> nonNegative(add, key + ".circuit-breaker.recovery-timeout", v.toMillis()));
        });
        retry.ifPresent(rt -> rt.maxRetries().ifPresent(v -> nonNegative(add, key + ".retry.max-retries", v)));
    }

    private static void httpUrl(Consumer<String> add, String key, String url) {
        if (!url.matches("https?://.+")) {
            add.accept(key + " must start with http:// or https://, got '" + url + "'");
        }
    }

    private static void breaker(Consumer<String> add, String key, GatewayConfig.CircuitBreaker cb) {
        positive(add, key + ".failure-threshold", cb.failureThreshold());
        positive(add, key + ".success-threshold", cb.successThreshold());
        nonNegative(add, key + ".recovery-timeout", cb.recoveryTimeout().toMillis());
    }

    private static void positive(Consumer<String> add, String key, long value) {
        if (value <= 0) {
            add.accept(key + " must be positive, got " + value);
        }
    }

    private static void nonNegative(Consumer<String> add, String key, long value) {
        if (value < 0) {
            add.accept(key + " must not be negative, got " + value);
        }
    }
}
