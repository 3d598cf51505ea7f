package dev.breakwater.categorize;

/** Fired once per answered categorization request, for whoever watches what the gateway serves. */
public record AnswerServed(String source, boolean degraded, String model, int attempts, long latencyMs) {
}
