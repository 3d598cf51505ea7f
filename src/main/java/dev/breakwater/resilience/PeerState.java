package dev.breakwater.resilience;

import java.util.Optional;

/**
 * What other gateway replicas know about a service: whether one of them has its breaker open (so
 * this replica should not call it either), and whether this replica is the one to probe it now.
 * Answers from memory only: it sits on the request path.
 */
@FunctionalInterface
public interface PeerState {

    PeerState NONE = service -> false;

    /** What a call may do about a peer's opening. */
    enum Admission {
        /** No peer holds the service open. */
        CALL,
        /** A peer opened it, and this call is the one probe this replica may send: report its outcome. */
        PROBE,
        /** A peer holds it open, or another call is already probing: skip the service. */
        SKIP
    }

    /** True while a call would be skipped because of a peer's opening (asks, takes no probe permit). */
    boolean openElsewhere(String service);

    /** Decides one call; at most one concurrent caller gets {@link Admission#PROBE}. */
    default Admission admit(String service) {
        return openElsewhere(service) ? Admission.SKIP : Admission.CALL;
    }

    /** A peer's opening of the service as this replica follows it; empty when no peer holds it open. */
    default Optional<PeerOpening> opening(String service) {
        return Optional.empty();
    }

    /** The probe reached the service and it answered (an error that does not count against a breaker included). */
    default void probeSucceeded(String service) {
    }

    /** The probe failed in a way that counts against the breaker. */
    default void probeFailed(String service) {
    }

    /** The probe never reached the service (deadline, a local breaker refused it): the permit is free again. */
    default void probeAbandoned(String service) {
    }

    /**
     * A call this replica's own half-open breaker let through succeeded: its claim to probe the service holds
     * a while longer, so a peer does not start probing beside it.
     */
    default void ownProbeSucceeded(String service) {
    }
}
