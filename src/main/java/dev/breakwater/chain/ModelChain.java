package dev.breakwater.chain;

import dev.breakwater.config.ChainKind;

import java.util.List;

/** An ordered list of models tried one after the other. */
public record ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality,
                         ChainKind kind) {

    public ModelChain {
        models = List.copyOf(models);
    }

    public ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality) {
        this(name, models, contentPolicyFallback, minQuality, ChainKind.CHAT);
    }

    /** The same chain over other endpoints (e.g. with a rebuilt breaker). */
    ModelChain withModels(List<ModelEndpoint> replacement) {
        return new ModelChain(name, replacement, contentPolicyFallback, minQuality, kind);
    }

    /**
     * Identifies the chain's make-up: a cache entry written by another chain is not this chain's
     * answer. Plain text: the cache key hashes it together with the rest of the key material.
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder(name);
        models.forEach(m -> sb.append('|').append(m.name()).append('=').append(m.provider().id()).append(':').append(m.modelId()));
        return sb.toString();
    }
}
