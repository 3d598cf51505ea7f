package dev.breakwater.chain;

import dev.breakwater.config.ChainKind;
import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns the {@code model} of an embeddings request (and its optional {@code fallbacks}) into a chain,
 * like {@link ModelRouter} does for chat, with one more rule: every model of the chain embeds into
 * the same vector space. Falling over from one embedding model to another of a different space would
 * answer with vectors the caller cannot compare with the ones it stored, so such a request is refused
 * before any call. A name is a chain of kind {@code embeddings}, a configured model that declares an
 * {@code embedding-space} (or the local model), or an id matching a route. A routed id declares no
 * space: it is its own, and mixes with nothing else.
 */
@Singleton
public class EmbeddingRouter {

    private final ChainRegistry registry;
    private final RoutedModels routed;
    private final GatewayConfig config;

    public EmbeddingRouter(ChainRegistry registry, RoutedModels routed, GatewayConfig config) {
        this.registry = registry;
        this.routed = routed;
        this.config = config;
    }

    /** The chain for {@code model} followed by each of {@code fallbacks}, each model once, all of one embedding space. */
    public ModelChain resolve(String model, List<String> fallbacks) {
        ChainSet set = registry.current();
        Map<String, ModelEndpoint> endpoints = new LinkedHashMap<>();
        Map<String, String> spaces = new LinkedHashMap<>();
        Stream.concat(Stream.of(model), fallbacks.stream()).forEach(name -> endpoints(set, name).forEach(e -> {
            if (endpoints.putIfAbsent(e.name(), e) == null) {
                spaces.put(e.name(), space(e));
            }
        }));
        if (spaces.values().stream().distinct().count() > 1) {
            throw new MixedEmbeddingSpacesException("the models asked for embed into different vector spaces " + spaces
                    + ": their vectors cannot be compared, so they cannot stand in for each other", spaces);
        }
        return set.chain(model)
                .map(c -> c.withModels(model, List.copyOf(endpoints.values())))
                .orElseGet(() -> new ModelChain(model, List.copyOf(endpoints.values()), false, config.minQuality(), false,
                        ChainKind.EMBEDDINGS));
    }

    private List<ModelEndpoint> endpoints(ChainSet set, String name) {
        Optional<ModelChain> chain = set.chain(name);
        if (chain.isPresent()) {
            if (chain.get().kind() != ChainKind.EMBEDDINGS) {
                throw new UnroutableModelException("chain '" + name + "' is a chat chain; embeddings need a chain of kind "
                        + "embeddings, a model that declares an embedding-space, or a routed id", available());
            }
            if (chain.get().models().isEmpty()) {
                throw new UnroutableModelException("chain '" + name + "' has no enabled model", available());
            }
            return chain.get().models();
        }
        Optional<ModelEndpoint> configured = set.model(name);
        if (configured.isPresent()) {
            if (configured.get().embeddingSpace().isEmpty()) {
                throw new UnroutableModelException("model '" + name + "' declares no embedding-space: it is not an embeddings model",
                        available());
            }
            return List.of(configured.get());
        }
        return routed.find(name).map(List::of).orElseThrow(() -> new UnroutableModelException(
                "unknown model '" + ModelRouter.abbreviate(name) + "': name an embeddings chain, an embeddings model or an id matching a route",
                available()));
    }

    private static String space(ModelEndpoint endpoint) {
        return endpoint.embeddingSpace().orElse("model " + endpoint.name());
    }

    /** What an embeddings request may name: embeddings chains and models, then the route patterns. */
    public List<String> available() {
        List<String> names = new ArrayList<>(modelIds());
        names.addAll(routed.patterns());
        return names;
    }

    /** The embeddings chains and models, for {@code GET /v1/models}. */
    public List<String> modelIds() {
        List<String> names = new ArrayList<>();
        registry.chains().stream().filter(c -> c.kind() == ChainKind.EMBEDDINGS).forEach(c -> names.add(c.name()));
        registry.models().stream().filter(m -> m.embeddingSpace().isPresent()).map(ModelEndpoint::name)
                .filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }
}
