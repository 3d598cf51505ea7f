package dev.breakwater.resilience;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;

/**
 * One breaker as /health/circuit-breakers, the admin API and the status page show it. {@code secondsToNextProbe} is set while
 * the breaker is open: 0 means the next call is let through as a probe. {@code openedByPeer}: the state comes
 * from another replica's opening (shared breaker state), not from this replica's own calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BreakerView(String service, String state, int failureCount, long totalCalls, long failedCalls,
                          long blockedCalls, double failureRate, Instant lastFailure, Instant nextProbeAt,
                          Long secondsToNextProbe, Settings settings,
                          boolean openedByPeer) {

    /** The policy in plain numbers; durations in milliseconds. */
    public record Settings(int failureThreshold, long recoveryTimeoutMs, int successThreshold, int maxRetries,
                           long baseDelayMs, long maxDelayMs, long minDelayMs, double exponentialBase, Long timeoutMs) {
    }

    public static BreakerView of(ResilientClient client, Instant now) {
        BreakerStats s = client.stats();
        ResiliencePolicy p = client.policy();
        Long toProbe = s.nextProbeAt() == null ? null
                : Math.max(0, Duration.between(now, s.nextProbeAt()).toMillis() + 999) / 1000;
        Settings settings = new Settings(p.breaker().failureThreshold(), p.breaker().recoveryTimeout().toMillis(),
                p.breaker().successThreshold(), p.retry().maxRetries(), p.retry().baseDelay().toMillis(),
                p.retry().maxDelay().toMillis(), p.retry().minDelay().toMillis(), p.retry().exponentialBase(),
                p.timeout() == null ? null : p.timeout().toMillis());
        return new BreakerView(s.service(), s.state().id(), s.failureCount(), s.totalCalls(), s.failedCalls(),
                s.blockedCalls(), s.failureRate(), s.lastFailure(), s.nextProbeAt(), toProbe, settings,
                s.openedByPeer());
    }
}
