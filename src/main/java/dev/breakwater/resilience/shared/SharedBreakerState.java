package dev.breakwater.resilience.shared;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.resilience.PeerOpening;
import dev.breakwater.resilience.PeerState;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Breaker state shared across gateway replicas through Redis ({@code resilience.shared-state: redis}).
 * A replica whose breaker opens stores the opening (a key with the recovery timeout as TTL), takes the probe
 * lease unless a peer holds it ({@link ProbeLease}) and tells its peers ({@link PeerChannel}); they skip the
 * service for the time left of the opening, then call it again only once they hold the lease, one call at a
 * time, as a half-open breaker would. Success-threshold successes in a row publish CLOSED (every replica
 * closes), a failure publishes OPEN for another recovery timeout. The replica that opened probes through its
 * own half-open breaker while it holds the lease; once it lapsed, it re-takes it or follows the peer that won
 * it. Where each replica stands lives in {@link Gates}; all Redis work runs on this class's own thread, so with
 * Redis slow or down requests never wait for it and each replica is left with its own breakers.
 */
@Startup
@Singleton
public class SharedBreakerState implements PeerState, PeerChannel.Listener {

    private static final long TICK_MILLIS = 100;
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);

    private final String replicaId = UUID.randomUUID().toString();
    /** Services whose own breaker is being closed on a peer's CLOSED: that closing must not be re-published. */
    private final Set<String> closingForPeer = ConcurrentHashMap.newKeySet();
    private final boolean enabled;
    private final String guardService;
    private final SharedRedis redis;
    private final BreakerRegistry breakers;
    private final Gates gates;
    private final SharedStateErrors errors;
    private final ProbeLease lease;
    /** Null (as is the worker) unless breaker state is shared. */
    private final PeerChannel channel;
    private final ScheduledExecutorService worker;

    public SharedBreakerState(GatewayConfig config, SharedRedis redis, ReactiveRedisDataSource dataSource,
                              BreakerRegistry breakers, Clock clock, MeterRegistry meters) {
        this.enabled = config.resilience().sharedState() == GatewayConfig.SharedState.REDIS;
        this.guardService = redis.guardService();
        this.redis = redis;
        this.breakers = breakers;
        this.gates = new Gates(clock);
        this.errors = new SharedStateErrors(redis, meters);
        SharedKeys keys = new SharedKeys(config.resilience().sharedPrefix());
        this.lease = new ProbeLease(errors, keys, replicaId);
        if (!enabled) {
            this.channel = null;
            this.worker = null;
            return;
        }
        this.channel = new PeerChannel(dataSource.getRedis(), redis, errors, keys.channel(), replicaId, this);
        this.worker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("breakwater-shared-breakers").factory());
        breakers.usePeers(this);
        worker.scheduleWithFixedDelay(errors.guarded("tick", this::tick), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean openElsewhere(String service) {
        return gates.openElsewhere(service);
    }

    @Override
    public Admission admit(String service) {
        return gates.admit(service, () -> onWorker(() -> reclaim(service)));
    }

    /** Re-takes the lapsed lease of this replica's own opening, or follows the peer that holds it now. */
    private void reclaim(String service) {
        long leaseMillis = leaseMillis(service);
        long until = gates.now() + leaseMillis;
        Optional<Boolean> held = lease.acquire(service, leaseMillis);
        Log.debugf("%s: own lease lapsed, re-claim %s", service, describe(held));
        gates.reclaimed(service, held, until);
    }

    @Override
    public void ownProbeSucceeded(String service) {
        long leaseMillis = leaseMillis(service);
        // A lapsed lease may be a peer's by now: the next request claims it instead of renewing it. A lease that
        // ran out in Redis but not yet here (the worker was late) is re-taken if still free.
        if (gates.renewOwn(service, leaseMillis)) {
            onWorker(() -> lease.acquire(service, leaseMillis)
                    .filter(held -> !held)
                    .ifPresent(lost -> gates.followTheLeaseHolder(service, 0)));
        }
    }

    @Override
    public Optional<PeerOpening> opening(String service) {
        return gates.peerGate(service).map(g ->
                new PeerOpening(Instant.ofEpochMilli(g.openUntil()), g.phase() != PeerGate.Phase.WAITING));
    }

    @Override
    public void probeSucceeded(String service) {
        whenProbing(service, (gate, policy) -> {
            if (gate.successes() + 1 >= policy.breaker().successThreshold()) {
                if (gates.remove(service, gate)) {
                    onWorker(() -> shareClosed(service));
                }
                return;
            }
            long leaseMillis = lease(policy).toMillis();
            PeerGate next = gate.succeeded(gates.now() + leaseMillis);
            if (gates.replace(service, gate, next)) {
                // Renewed if still ours, re-taken if it ran out meanwhile (nobody probes then); a peer's stays its.
                onWorker(() -> lease.acquire(service, leaseMillis)
                        .filter(held -> !held)
                        .ifPresent(lost -> gates.replace(service, next, next.expired())));
            }
        });
    }

    @Override
    public void probeFailed(String service) {
        whenProbing(service, (gate, policy) -> {
            long recovery = policy.breaker().recoveryTimeout().toMillis();
            if (gates.replace(service, gate, PeerGate.waiting(gates.now() + recovery))) {
                onWorker(() -> shareOpen(service, policy, recovery));
            }
        });
    }

    @Override
    public void probeAbandoned(String service) {
        whenProbing(service, (gate, policy) -> gates.replace(service, gate, gate.leased(gate.leaseUntil())));
    }

    /** Hands over a probe still in flight; a peer's newer news, or the lease's end, makes its outcome moot. */
    private void whenProbing(String service, BiConsumer<PeerGate, ResiliencePolicy> outcome) {
        ResiliencePolicy policy = policy(service);
        if (policy != null) {
            gates.probing(service).ifPresent(gate -> outcome.accept(gate, policy));
        }
    }

    /** Whether peer messages currently arrive (Redis confirmed this replica's subscription to the breaker channel). */
    public boolean connected() {
        return channel != null && channel.listening();
    }

    /** Where this replica stands on the breaker channel; empty unless breaker state is shared. */
    public Optional<ChannelMembership.State> channelState() {
        return Optional.ofNullable(channel).map(PeerChannel::state);
    }

    void onTransition(@Observes BreakerTransition transition) {
        String service = transition.service();
        if (!enabled || guardService.equals(service) || transition.to() == BreakerState.HALF_OPEN) {
            return;
        }
        if (transition.to() == BreakerState.CLOSED) {
            gates.closedOwn(service);
            if (!closingForPeer.contains(service)) {
                onWorker(() -> shareClosed(service));
            }
            return;
        }
        ResiliencePolicy policy = policy(service);
        if (policy != null) {
            long recovery = Math.max(0, transition.at().toEpochMilli() + policy.breaker().recoveryTimeout().toMillis()
                    - gates.now());
            if (channel.listening()) {
                // Held locally from now, before Redis confirms: the lease shareOpen takes is at least as long.
                gates.holdOwn(service, recovery + lease(policy).toMillis());
            }
            onWorker(() -> shareOpen(service, policy, recovery));
        }
    }

    private void shareClosed(String service) {
        lease.close(service);
        channel.publish(PeerMessage.closed(replicaId, service));
    }

    /**
     * The replica that saw the failures probes first and tells its peers, unless a peer holds the lease
     * already: then that peer is probing (or opened a moment earlier and will), and this replica follows it
     * silently rather than restart everyone's wait in the middle of that peer's probe.
     */
    private void shareOpen(String service, ResiliencePolicy policy, long recoveryMillis) {
        long leaseMillis = recoveryMillis + lease(policy).toMillis();
        Optional<Boolean> held = lease.open(service, Math.max(1, recoveryMillis), leaseMillis);
        Log.debugf("%s: opened here, lease %s", service, describe(held));
        if (held.isEmpty()) {
            gates.dropOwn(service);
        } else if (held.get()) {
            channel.publish(PeerMessage.opened(replicaId, service, recoveryMillis));
        } else {
            gates.followTheLeaseHolder(service, recoveryMillis);
        }
    }

    private void tick() {
        channel.keepJoined();
        gates.due(this::tryToProbe);
    }

    /**
     * Lets one call through once this replica holds the probe lease, or once neither Redis nor the channel
     * can tell it anything (Redis away, or the lease's slot unanswerable with the channel lost too).
     */
    private void tryToProbe(String service, PeerGate gate) {
        long leaseMillis = leaseMillis(service);
        long until = gates.now() + leaseMillis;
        Optional<Boolean> held = lease.acquire(service, leaseMillis);
        if (held.isEmpty() && redis.answering() && channel.listening()) {
            return; // one failed call: the next tick asks again rather than probe beside the lease's holder
        }
        if (gates.claimed(service, gate, held, until)) {
            Log.debugf("%s: a peer's opening is over, one probe here (lease %s)", service, describe(held));
        }
    }

    /** A peer's probes proved the service healthy: this replica's breaker closes without a probe of its own. */
    private void closeForPeer(String service) {
        breakers.find(service).ifPresent(client -> {
            closingForPeer.add(service);
            try {
                client.closeAfterPeerRecovery();
            } finally {
                closingForPeer.remove(service);
            }
        });
    }

    @Override
    public void joined() {
        onWorker(this::readOpenings);
    }

    @Override
    public void fromPeer(PeerMessage m) {
        if (guardService.equals(m.service())) {
            return;
        }
        Log.debugf("%s: %s from a peer", m.service(), m.state());
        if (m.state() == BreakerState.OPEN) {
            gates.follow(m.service(), m.openForMillis());
        } else if (m.state() == BreakerState.CLOSED) {
            gates.closedByPeer(m.service());
            // A claim this worker made between the peer's CLOSE and this message holds a lease nobody needs: left
            // alone it would make the next replica to open follow this one silently, its opening never shared.
            onWorker(() -> {
                lease.release(m.service());
                closeForPeer(m.service());
            });
        }
    }

    /** A replica (re)joining learns of openings its peers stored while it was not listening. */
    private void readOpenings() {
        for (ResilientClient client : breakers.all()) {
            String service = client.service();
            if (!guardService.equals(service)) {
                lease.openRemaining(service).filter(left -> left > 0).ifPresent(left -> gates.followStored(service, left));
            }
        }
    }

    /** Runs a task on the worker with its failures counted and logged; after shutdown there is nothing to do. */
    private void onWorker(Runnable task) {
        if (worker == null) {
            return;
        }
        try {
            worker.execute(errors.guarded("shared breaker task", task));
        } catch (RejectedExecutionException stopped) {
            // Shutting down: nothing left to share.
        }
    }

    private static String describe(Optional<Boolean> held) {
        return held.map(h -> h ? "taken" : "a peer's").orElse("unanswered");
    }

    private ResiliencePolicy policy(String service) {
        return breakers.find(service).map(ResilientClient::policy).orElse(null);
    }

    private long leaseMillis(String service) {
        return Optional.ofNullable(policy(service)).map(SharedBreakerState::lease).orElse(MIN_LEASE).toMillis();
    }

    private static Duration lease(ResiliencePolicy policy) {
        Duration timeout = policy.timeout();
        return timeout == null || timeout.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : timeout;
    }

    /** Before the Redis client closes under it: its end would read as a lost channel. */
    void onStop(@Observes ShutdownEvent stop) {
        close();
    }

    @PreDestroy
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
