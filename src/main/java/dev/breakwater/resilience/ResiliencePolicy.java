package dev.breakwater.resilience;

import java.time.Duration;

/** Everything that shapes how one service is called: breaker, retries, per-attempt timeout. */
public record ResiliencePolicy(BreakerSettings breaker, RetrySettings retry, Duration timeout) {
}
