package dev.breakwater.resilience.shared;

/**
 * How this replica follows a peer's opening of one service: it waits until {@code openUntil}, then, once
 * it holds the probe lease (until {@code leaseUntil}, local clock), lets one call through at a time. Immutable,
 * so a conditional replace in a concurrent map is the atomic probe permit.
 */
record PeerGate(Phase phase, long openUntil, long leaseUntil, int successes) {

    enum Phase {
        /** Skip the service; from {@code openUntil} on, try to take the probe lease. */
        WAITING,
        /** This replica holds the lease: the next call is the probe. */
        LEASED,
        /** The probe is in flight: skip the service until its outcome (or the lease's end). */
        PROBING
    }

    static PeerGate waiting(long openUntil) {
        return new PeerGate(Phase.WAITING, openUntil, 0, 0);
    }

    PeerGate leased(long until) {
        return new PeerGate(Phase.LEASED, openUntil, until, successes);
    }

    PeerGate probing() {
        return new PeerGate(Phase.PROBING, openUntil, leaseUntil, successes);
    }

    /** A successful probe short of the success threshold: the next call probes again, under a renewed lease. */
    PeerGate succeeded(long until) {
        return new PeerGate(Phase.LEASED, openUntil, until, successes + 1);
    }

    /** The lease ran out (no traffic, or a probe whose outcome never came): compete for it again. */
    PeerGate expired() {
        return new PeerGate(Phase.WAITING, openUntil, 0, successes);
    }

    boolean blocks() {
        return phase != Phase.LEASED;
    }
}
