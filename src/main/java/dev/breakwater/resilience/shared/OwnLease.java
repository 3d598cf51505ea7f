package dev.breakwater.resilience.shared;

/**
 * The probe lease this replica took when its own breaker opened, as its local clock sees it: its half-open
 * breaker may probe until {@code until}. Past that a peer may have won the lease, so the replica skips the
 * service until it has re-taken it ({@code claiming}: the one claim on its way to Redis). Immutable, so a
 * conditional replace in a concurrent map decides which request starts the claim.
 */
record OwnLease(long until, boolean claiming) {

    static OwnLease held(long until) {
        return new OwnLease(until, false);
    }

    OwnLease beingClaimed() {
        return new OwnLease(until, true);
    }

    boolean lapsed(long now) {
        return until <= now;
    }
}
