package dev.breakwater.chain;

import dev.breakwater.config.ChainKind;
import dev.breakwater.resilience.FailureKind;

import java.util.List;

/**
 * An ordered list of models tried one after the other. Two failure kinds that stop a walk by
 * default (they are about the caller's request) fall over when the chain says so:
 * {@code contentPolicyFallback} and {@code callerErrorFallback}. {@code kind} says what the chain
 * answers: chat and categorization, or embeddings (its models then share one embedding space).
 */
public record ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality,
                         boolean callerErrorFallback, ChainKind kind) {

    public ModelChain {
        models = List.copyOf(models);
    }

    public ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality) {
        this(name, models, contentPolicyFallback, minQuality, false, ChainKind.CHAT);
    }

    /** Whether a failure of this kind moves the walk on to the next model. */
    public boolean fallsOverOn(FailureKind kind) {
        return kind.fallsOver()
                || (kind == FailureKind.CONTENT_POLICY && contentPolicyFallback)
                || (kind == FailureKind.CALLER_ERROR && callerErrorFallback);
    }

    /** The same chain with other models (the settings stay). */
    public ModelChain withModels(String chainName, List<ModelEndpoint> others) {
        return new ModelChain(chainName, others, contentPolicyFallback, minQuality, callerErrorFallback, kind);
    }

    /**
     * Identifies the chain's make-up: a cache entry written by another chain is not this chain's
     * answer. Plain text: the cache key hashes it together with the rest of the key material.
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder(name);
        models.stream().flatMap(m -> m.endpoints().stream())
                .forEach(m -> sb.append('|').append(m.name()).append('=').append(m.provider().id()).append(':').append(m.modelId()));
        return sb.toString();
    }
}
