package dev.breakwater.resilience;

import java.time.Instant;

/**
 * A snapshot of one service's breaker. {@code failureCount} is the current run of consecutive
 * failures (what opens the breaker); {@code nextProbeAt} is set while open.
 */
public record BreakerStats(String service, BreakerState state, int failureCount, long totalCalls,
                           long failedCalls, long blockedCalls, Instant lastFailure, Instant nextProbeAt,
                           BreakerSettings settings) {

    public double failureRate() {
        return totalCalls == 0 ? 0 : (double) failedCalls / totalCalls;
    }
}
