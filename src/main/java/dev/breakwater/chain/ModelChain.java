package dev.breakwater.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** An ordered list of models tried one after the other. */
public record ModelChain(String name, List<ModelEndpoint> models, boolean contentPolicyFallback, double minQuality) {

    public ModelChain {
        models = List.copyOf(models);
    }

    /** Identifies the chain's make-up: a cache entry written by another chain is not this chain's answer. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder(name);
        models.forEach(m -> sb.append('|').append(m.name()).append('=').append(m.provider().id()).append(':').append(m.modelId()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
