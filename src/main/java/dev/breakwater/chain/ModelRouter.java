package dev.breakwater.chain;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.Provider;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code model} of a chat request (and its optional {@code fallbacks}) into the chain the
 * {@link FallbackManager} walks. A name is looked up as a chain, then a configured model, then
 * against the wildcard routes. The local model is left out of chat chains: it only categorizes, and
 * letting chat requests fail on it would count against the breaker categorization relies on.
 */
@Singleton
public class ModelRouter {

    private final ChainRegistry registry;
    private final RoutedModels routed;
    private final GatewayConfig config;

    public ModelRouter(ChainRegistry registry, RoutedModels routed, GatewayConfig config) {
        this.registry = registry;
        this.routed = routed;
        this.config = config;
    }

    /** The chain for {@code model} followed by each of {@code fallbacks}, each model once, in that order. */
    public ModelChain resolve(String model, List<String> fallbacks) {
        Map<String, ModelEndpoint> endpoints = new LinkedHashMap<>();
        addEndpoints(model, endpoints);
        for (String fallback : fallbacks) {
            addEndpoints(fallback, endpoints);
        }
        if (endpoints.isEmpty()) {
            throw new UnroutableModelException("'" + model + "' has no model that can answer chat requests", available());
        }
        return registry.chain(model)
                .map(c -> c.withModels(model, List.copyOf(endpoints.values())))
                .orElseGet(() -> new ModelChain(model, List.copyOf(endpoints.values()), false, config.minQuality()));
    }

    /** A loop, not a stream: this runs for every chat request (a stream pipeline here was ~1.5 % of its CPU). */
    private void addEndpoints(String name, Map<String, ModelEndpoint> endpoints) {
        for (ModelEndpoint endpoint : endpoints(name)) {
            endpoints.putIfAbsent(endpoint.name(), endpoint);
        }
    }

    private List<ModelEndpoint> endpoints(String name) {
        var chain = registry.chain(name);
        if (chain.isPresent()) {
            List<ModelEndpoint> chatting = new ArrayList<>(chain.get().models().size());
            for (ModelEndpoint model : chain.get().models()) {
                if (chats(model)) {
                    chatting.add(model);
                }
            }
            return chatting;
        }
        var configured = registry.model(name);
        if (configured.isPresent()) {
            if (!chats(configured.get())) {
                throw new UnroutableModelException("model '" + name + "' only answers "
                        + (configured.get().chats() ? "categorization" : "embeddings") + " requests", available());
            }
            return List.of(configured.get());
        }
        return routed.find(name).map(List::of).orElseThrow(() -> new UnroutableModelException(
                "unknown model '" + abbreviate(name) + "': name a chain, a configured model or an id matching a route",
                available()));
    }

    /** True when a wildcard route would forward {@code modelId} (checked without building its endpoint). */
    public boolean routes(String modelId) {
        return registry.chain(modelId).isEmpty() && registry.model(modelId).isEmpty() && routed.matches(modelId);
    }

    /** What callers may name: chains and models that can chat, then the route patterns. */
    public List<String> available() {
        List<String> names = new ArrayList<>(chatModelIds());
        names.addAll(routed.patterns());
        return names;
    }

    /** The chains and configured models a chat request can name: what {@code GET /v1/models} lists. */
    public List<String> chatModelIds() {
        List<String> names = new ArrayList<>();
        registry.chains().stream().filter(c -> c.models().stream().anyMatch(ModelRouter::chats))
                .forEach(c -> names.add(c.name()));
        registry.models().stream().filter(ModelRouter::chats).map(ModelEndpoint::name)
                .filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    private static boolean chats(ModelEndpoint endpoint) {
        return endpoint.provider() != Provider.LOCAL && endpoint.chats();
    }

    static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
