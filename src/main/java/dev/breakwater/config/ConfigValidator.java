package dev.breakwater.config;

import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.factors.FactorCategory;

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
        for (int i = 0; i < config.models().size(); i++) {
            ModelConfig m = config.models().get(i);
            String key = p + "models[" + i + "]";
            if (!names.add(m.name())) {
                add.accept(key + ".name '" + m.name() + "' is used twice: every model needs its own breaker");
            }
            if (m.provider() != Provider.LOCAL) {
                m.baseUrl().ifPresent(u -> httpUrl(add, key + ".base-url", u));
            }
            m.timeout().ifPresent(t -> positive(add, key + ".timeout", t.toMillis()));
            positive(add, key + ".default-max-tokens", m.defaultMaxTokens());
            overrides(add, key, m.circuitBreaker(), m.retry());
            m.embeddingSpace().ifPresent(space -> embeddingSpace(add, key + ".embedding-space", m.provider(), space));
        }
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
                Optional<String> space = m.embeddingSpace().or(() -> m.provider().fixedEmbeddingSpace());
                if (chain.kind() == ChainKind.CHAT && m.embeddingSpace().isPresent() && m.provider() != Provider.LOCAL) {
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
