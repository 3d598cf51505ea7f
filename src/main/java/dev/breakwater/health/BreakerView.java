package dev.breakwater.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breakwater.resilience.BreakerStats;

import java.time.Duration;
import java.time.Instant;

/** One breaker as {@code /health/circuit-breakers} shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BreakerView(String service, String state, int failureCount, long totalCalls, long failedCalls,
                          long blockedCalls, double failureRate, Instant lastFailure, Long nextProbeInMs,
                          int failureThreshold, long recoveryTimeoutMs, int successThreshold) {

    public static BreakerView of(BreakerStats s, Instant now) {
        Long nextProbe = s.nextProbeAt() == null ? null : Math.max(0, Duration.between(now, s.nextProbeAt()).toMillis());
        return new BreakerView(s.service(), s.state().id(), s.failureCount(), s.totalCalls(), s.failedCalls(),
                s.blockedCalls(), s.failureRate(), s.lastFailure(), nextProbe, s.settings().failureThreshold(),
                s.settings().recoveryTimeout().toMillis(), s.settings().successThreshold());
    }
}
