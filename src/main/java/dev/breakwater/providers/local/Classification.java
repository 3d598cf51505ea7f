package dev.breakwater.providers.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Result of the local classifier. {@code confidence} is the calibrated probability of
 * {@code categoryId} in [0,1]; {@code scores} holds that probability for every category, keyed by id.
 */
public record Classification(String categoryId, double confidence, Map<String, Double> scores) {
    public Classification {
        // Keeps taxonomy order so callers and logs list categories as the taxonomy defines them.
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
}
