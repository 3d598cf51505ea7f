package dev.breakwater.factors;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * The answer of {@code GET /v1/factors/{category}}. {@code retrievedAt} is when the gateway produced
 * this answer; a cached value says how old it is in {@code cacheAgeSeconds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FactorAnswer(String category, double factor, String unit, String reference, FactorSource source,
                           boolean degraded, String degradedReason, Instant retrievedAt, Long cacheAgeSeconds) {

    static FactorAnswer of(String category, Factor factor, FactorSource source, String degradedReason,
                           Instant now, Long cacheAgeSeconds) {
        String reference = factor.reference() == null || factor.reference().isBlank() ? null : factor.reference();
        return new FactorAnswer(category, factor.factor(), factor.unit(), reference, source, degradedReason != null,
                degradedReason, now, cacheAgeSeconds);
    }
}
