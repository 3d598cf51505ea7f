package dev.breakwater.chain;

/** Per-model counts since start: what {@link FallbackManager#metrics()} reports. */
public record ModelMetrics(long attempts, long successes, long failures, long rejectedByQuality, long skippedOpenCircuit) {
}
