package dev.breakwater.resilience;

/**
 * What other gateway replicas know about a service: whether one of them has its breaker open (so
 * this replica should not call it either). Answers from memory only: it sits on the request path.
 */
@FunctionalInterface
public interface PeerState {

    PeerState NONE = service -> false;

    boolean openElsewhere(String service);
}
