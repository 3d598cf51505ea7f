package dev.breakwater.chain;

import java.util.List;

/** An ordered list of models tried one after the other. */
public record ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality) {

    public ModelChain {
        models = List.copyOf(models);
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
