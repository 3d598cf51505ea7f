package dev.breakwater.chain;

import dev.breakwater.resilience.ResilientClient;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable generation of the configured models and chains. A request works on the set it
 * started with, so a reload or a rebuilt breaker never changes a chain under a request in flight.
 */
public record ChainSet(Map<String, ModelEndpoint> models, Map<String, ModelChain> chains) {

    public ChainSet {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
    }

    public Optional<ModelChain> chain(String name) {
        return Optional.ofNullable(chains.get(name));
    }

    public Optional<ModelEndpoint> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** The same set with {@code client} as the breaker of the model (or deployment) it belongs to. */
    ChainSet rebind(ResilientClient client) {
        Map<String, ModelEndpoint> rebound = new LinkedHashMap<>();
        models.forEach((name, m) -> rebound.put(name, m.rebind(client)));
        Map<String, ModelChain> rechained = new LinkedHashMap<>();
        chains.forEach((name, c) -> rechained.put(name, c.withModels(name,
                c.models().stream().map(m -> rebound.get(m.name())).toList())));
        return new ChainSet(rebound, rechained);
    }

    /** The same set plus {@code model}, with a chain of its own under its name. */
    ChainSet with(ModelEndpoint model) {
        Map<String, ModelEndpoint> added = new LinkedHashMap<>(models);
        added.put(model.name(), model);
        Map<String, ModelChain> chained = new LinkedHashMap<>(chains);
        chained.put(model.name(), new ModelChain(model.name(), List.of(model), false, 0));
        return new ChainSet(added, chained);
    }

    /** The same set without the model and the chain named {@code name}. */
    ChainSet without(String name) {
        Map<String, ModelEndpoint> kept = new LinkedHashMap<>(models);
        kept.remove(name);
        Map<String, ModelChain> chained = new LinkedHashMap<>(chains);
        chained.remove(name);
        return new ChainSet(kept, chained);
    }
}
