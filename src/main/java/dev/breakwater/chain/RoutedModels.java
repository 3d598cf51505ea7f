package dev.breakwater.chain;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.RouteConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.factory.ModelClientFactory;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Models reached through a wildcard route ({@code openai/*}, {@code *}): an endpoint, with its own
 * breaker, is made on first use of each model id and kept for the next requests. Model ids come from
 * callers, so the table is bounded: past {@code openai.max-routed-models} the least recently used id
 * is forgotten, breaker included (a hot model is never the least recently used one).
 * <p>
 * The endpoint and its breaker are named by the id the caller sent (e.g. {@code openai/gpt-4o}),
 * which holds the forwarded id ({@code gpt-4o}) and stays distinct when two routes forward the same
 * id to different providers.
 * <p>
 * An operator's change to a routed model's breaker (admin API) is kept as that id's policy, so it
 * outlives the eviction of the id; those policies are bounded the same way.
 */
@Singleton
public class RoutedModels {

    private final GatewayConfig config;
    private final ModelClientFactory factory;
    private final BreakerRegistry breakers;
    private final Map<String, ModelEndpoint> endpoints;
    private final Map<String, ResiliencePolicy> operatorPolicies;

    public RoutedModels(GatewayConfig config, ModelClientFactory factory, BreakerRegistry breakers) {
        this.config = config;
        this.factory = factory;
        this.breakers = breakers;
        int max = config.openai().maxRoutedModels();
        this.endpoints = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModelEndpoint> eldest) {
                boolean evict = size() > max;
                if (evict) {
                    breakers.remove(eldest.getKey(), eldest.getValue().resilience());
                }
                return evict;
            }
        };
        this.operatorPolicies = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ResiliencePolicy> eldest) {
                return size() > max;
            }
        };
    }

    /** True when {@code service} is a routed model currently known. */
    public synchronized boolean isRouted(String service) {
        return endpoints.containsKey(service);
    }

    /** Rebuilds a routed model's breaker from {@code policy} (the operator's change) and keeps the policy for the id. */
    public synchronized ResilientClient replaceBreaker(String modelId, ResiliencePolicy policy) {
        ModelEndpoint current = endpoints.get(modelId);
        if (current == null) {
            throw new IllegalArgumentException("not a routed model: " + modelId);
        }
        ResilientClient fresh = breakers.replace(modelId, policy);
        endpoints.put(modelId, current.withResilience(fresh));
        operatorPolicies.put(modelId, policy);
        return fresh;
    }

    /** The endpoint for {@code modelId} if a route matches it. */
    public synchronized Optional<ModelEndpoint> find(String modelId) {
        ModelEndpoint known = endpoints.get(modelId);
        if (known != null) {
            return Optional.of(known);
        }
        // An id naming another protected service (e.g. "redis") must never share that service's breaker.
        return route(modelId).filter(r -> breakers.find(modelId).isEmpty()).map(route -> {
            ModelEndpoint endpoint = build(modelId, route);
            endpoints.put(modelId, endpoint);
            return endpoint;
        });
    }

    /** Whether a route would forward {@code modelId}, as {@link #find} decides, without making its endpoint. */
    public synchronized boolean matches(String modelId) {
        return endpoints.containsKey(modelId) || route(modelId).filter(r -> breakers.find(modelId).isEmpty()).isPresent();
    }

    /** The configured patterns, for telling callers what they may ask for. */
    public List<String> patterns() {
        return config.routes().stream().map(RouteConfig::match).toList();
    }

    private Optional<RouteConfig> route(String modelId) {
        return config.routes().stream().filter(r -> forwardedId(r, modelId) != null).findFirst();
    }

    /** The id sent upstream: the part matched by the trailing {@code *}; null when the route does not match. */
    public static String forwardedId(RouteConfig route, String modelId) {
        String prefix = route.match().substring(0, route.match().length() - 1);
        return modelId.startsWith(prefix) && modelId.length() > prefix.length() ? modelId.substring(prefix.length()) : null;
    }

    private ModelEndpoint build(String modelId, RouteConfig route) {
        String forwarded = forwardedId(route, modelId);
        ResiliencePolicy configured = ModelPolicies.of(config.resilience(), Provider.OPENAI, route.timeout(),
                route.circuitBreaker(), route.retry());
        ResiliencePolicy policy = operatorPolicies.getOrDefault(modelId, configured);
        ModelClientFactory.Built built = factory.openAi(forwarded, Optional.of(route.baseUrl()), route.apiKeyEnv(), policy.timeout());
        return new ModelEndpoint(modelId, Provider.OPENAI, forwarded, built.client(), built.chat(), built.embeddings(),
                breakers.register(modelId, policy), built.unavailableReason(), Optional.empty());
    }
}
