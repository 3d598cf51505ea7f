package dev.breakwater.status;

import java.util.List;

/** What the status page shows, already formatted: the template only lays it out. */
public record StatusView(String generatedAt, int refreshSeconds, List<Chain> chains, List<Breaker> breakers,
                         List<Transition> transitions, List<Answer> answers) {

    public record Chain(String name, List<Link> models) {
    }

    /** A model in a chain: its breaker state, or why it is skipped. */
    public record Link(String name, String state, String skippedBecause) {
    }

    /** {@code openedByPeer}: the state is another replica's opening, shared through Redis. */
    public record Breaker(String service, String state, String stateLabel, int failureCount, int failureThreshold,
                          long totalCalls, long failedCalls, long blockedCalls, String failureRate,
                          String lastFailure, String nextProbe, boolean openedByPeer) {
    }

    public record Transition(String at, String service, String from, String to, int failureCount, boolean manual) {
    }

    public record Answer(String at, String endpoint, String source, boolean degraded, String model, int attempts,
                         long latencyMs, int status) {
    }
}
