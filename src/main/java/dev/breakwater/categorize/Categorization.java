package dev.breakwater.categorize;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breakwater.chain.Attempt;

import java.util.List;

/**
 * The answer to a categorization request, and the truth about how it was reached: who answered,
 * every attempt, whether the answer is degraded and why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Categorization(String category, String label, double confidence, String taxonomy,
                             String model, String provider, Source source, boolean degraded,
                             String degradedReason, Long cacheAgeSeconds, List<Attempt> attempts, long latencyMs,
                             Double costUsd) {

    /** Cost not (yet) known: {@link #withCostUsd} sets it once the usage is priced. */
    public Categorization(String category, String label, double confidence, String taxonomy, String model, String provider,
                          Source source, boolean degraded, String degradedReason, Long cacheAgeSeconds,
                          List<Attempt> attempts, long latencyMs) {
        this(category, label, confidence, taxonomy, model, provider, source, degraded, degradedReason, cacheAgeSeconds,
                attempts, latencyMs, null);
    }

    public Categorization withCostUsd(Double cost) {
        return new Categorization(category, label, confidence, taxonomy, model, provider, source, degraded, degradedReason,
                cacheAgeSeconds, attempts, latencyMs, cost);
    }
}
