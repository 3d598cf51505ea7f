package dev.breakwater.resilience;

import java.time.Instant;

/** One state change of a service's breaker, as logged, counted and shown on the status page. */
public record BreakerTransition(String service, BreakerState from, BreakerState to, Instant at,
                                int failureCount, Instant lastFailure, boolean manual) {
}
