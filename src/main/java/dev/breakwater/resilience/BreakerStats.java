package dev.breakwater.resilience;

import java.time.Instant;

/**
 * A snapshot of one service's breaker. {@code failureCount} is the current run of consecutive
 * failures (what opens the breaker); {@code failureRate} is the share of failures among the last
 * failure-threshold calls, the breaker's own window; {@code nextProbeAt} is set while open.
 * {@code openedByPeer}: the state is another replica's opening (shared state), this replica's own breaker
 * is closed; then {@code nextProbeAt} is when the replicas may probe again.
 */
public record BreakerStats(String service, BreakerState state, int failureCount, long totalCalls,
                           long failedCalls, long blockedCalls, double failureRate, Instant lastFailure,
                           Instant nextProbeAt, BreakerSettings settings,
                           boolean openedByPeer) {
}
