package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.PeerState.Admission;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Where this replica stands on each service a peer or it opened, in memory only and on an injected clock:
 * the request path asks it, the worker changes it after Redis answered. Every deadline here was computed
 * on this replica's clock from a duration, so skew between replicas cannot move it. Changes are
 * conditional replaces of immutable values, so of two threads racing for a permit exactly one wins.
 */
final class Gates {

    private final Clock clock;
    /** Services a peer has open, and where this replica stands in probing them. */
    private final Map<String, PeerGate> peers = new ConcurrentHashMap<>();
    /** Services this replica's own breaker opened, with the probe lease it took for them. */
    private final Map<String, OwnLease> owns = new ConcurrentHashMap<>();

    Gates(Clock clock) {
        this.clock = clock;
    }

    long now() {
        return clock.millis();
    }

    boolean openElsewhere(String service) {
        PeerGate gate = peers.get(service);
        return gate != null && gate.blocks();
    }

    Optional<PeerGate> peerGate(String service) {
        return Optional.ofNullable(peers.get(service));
    }

    /**
     * At most one concurrent caller gets PROBE for a peer's opening. For this replica's own opening, calls go
     * through its half-open breaker while the lease holds; once it lapsed, the first caller to notice hands
     * the re-claim to {@code reclaim} and every call skips until it is decided.
     */
    Admission admit(String service, Runnable reclaim) {
        PeerGate gate = peers.get(service);
        if (gate != null) {
            return gate.phase() == PeerGate.Phase.LEASED && peers.replace(service, gate, gate.probing())
                    ? Admission.PROBE : Admission.SKIP;
        }
        OwnLease own = owns.get(service);
        if (own == null || !own.lapsed(now())) {
            return Admission.CALL;
        }
        if (!own.claiming() && owns.replace(service, own, own.beingClaimed())) {
            reclaim.run();
        }
        return Admission.SKIP;
    }

    /** A peer opened the service for {@code openForMillis} more: wait that long, then compete for the lease. */
    void follow(String service, long openForMillis) {
        peers.put(service, PeerGate.waiting(now() + openForMillis));
    }

    /**
     * An opening read from Redis on (re)joining the channel: followed unless this replica already holds its
     * lease or probes it (marks outlive a lost channel), whose outcome must still count.
     */
    void followStored(String service, long openForMillis) {
        peers.compute(service, (s, gate) -> gate == null || gate.phase() == PeerGate.Phase.WAITING
                ? PeerGate.waiting(now() + openForMillis) : gate);
    }

    /**
     * The lease is a peer's: wait for its verdict, competing for the lease after {@code waitMillis} (it is
     * only free again if the peer's probe never reported).
     */
    void followTheLeaseHolder(String service, long waitMillis) {
        owns.remove(service);
        peers.putIfAbsent(service, PeerGate.waiting(now() + waitMillis));
    }

    /** This replica's breaker opened and it holds the lease until {@code leaseMillis} from now. */
    void holdOwn(String service, long leaseMillis) {
        owns.put(service, OwnLease.held(now() + leaseMillis));
    }

    /** Redis could not take the lease of this replica's opening: its own breaker alone decides. */
    void dropOwn(String service) {
        owns.remove(service);
    }

    /** Renews this replica's own lease locally; false when it has lapsed (a peer may hold it by now). */
    boolean renewOwn(String service, long leaseMillis) {
        OwnLease own = owns.get(service);
        long now = now();
        return own != null && !own.lapsed(now)
                && owns.replace(service, own, OwnLease.held(Math.max(own.until(), now + leaseMillis)));
    }

    /** The result of a re-claim started by {@link #admit}: empty when Redis could not say. */
    void reclaimed(String service, Optional<Boolean> held, long leaseUntil) {
        OwnLease own = owns.get(service);
        if (own == null || !own.claiming()) {
            return;
        }
        if (held.isEmpty()) {
            // Redis cannot say: the local breaker alone decides, as everywhere else without Redis.
            owns.remove(service, own);
        } else if (held.get()) {
            owns.replace(service, own, OwnLease.held(leaseUntil));
        } else {
            followTheLeaseHolder(service, 0);
        }
    }

    /** This replica's own breaker closed: its lease has no more use. */
    void closedOwn(String service) {
        owns.remove(service);
    }

    /** A peer's probes closed the service: nothing left to follow. */
    void closedByPeer(String service) {
        peers.remove(service);
    }

    /** For the tick: services whose wait is over (claim the lease) or whose lease ran out (compete again). */
    void due(BiConsumer<String, PeerGate> claim) {
        long now = now();
        peers.forEach((service, gate) -> {
            if (gate.phase() == PeerGate.Phase.WAITING && gate.openUntil() <= now) {
                claim.accept(service, gate);
            } else if (gate.phase() != PeerGate.Phase.WAITING && gate.leaseUntil() <= now) {
                peers.replace(service, gate, gate.expired());
            }
        });
    }

    /**
     * The outcome of a claim for {@code gate}. When Redis is away, this replica acts as a half-open breaker
     * of its own (one call at a time, its verdict shared if Redis is back by then): at most one probe per
     * replica, rather than every call of a replica whose own breaker never saw the failures. True when the
     * next call here is the probe (false too when newer news replaced {@code gate} meanwhile).
     */
    boolean claimed(String service, PeerGate gate, Optional<Boolean> held, long leaseUntil) {
        return (held.isEmpty() || held.get()) && peers.replace(service, gate, gate.leased(leaseUntil));
    }

    /** The probe in flight for a peer's opening, if any. */
    Optional<PeerGate> probing(String service) {
        return peerGate(service).filter(g -> g.phase() == PeerGate.Phase.PROBING);
    }

    /** Conditional change of a probing gate; false when newer news replaced it meanwhile. */
    boolean replace(String service, PeerGate probing, PeerGate next) {
        return peers.replace(service, probing, next);
    }

    boolean remove(String service, PeerGate probing) {
        return peers.remove(service, probing);
    }
}
