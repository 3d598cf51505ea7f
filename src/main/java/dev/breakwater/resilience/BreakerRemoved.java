package dev.breakwater.resilience;

/** A service's breaker was dropped (an evicted routed model, a model no longer configured): forget everything kept for it. */
public record BreakerRemoved(String service) {
}
