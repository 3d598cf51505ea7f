package dev.breakwater.resilience;

/** A service got its breaker: metrics show it (closed, no failures) before its first call. */
public record BreakerRegistered(String service) {
}
