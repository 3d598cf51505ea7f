package dev.breakwater.resilience.shared;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.resilience.PeerOpening;
import dev.breakwater.resilience.PeerState;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Breaker state shared across gateway replicas through Redis ({@code resilience.shared-state: redis}).
 * A replica whose breaker opens publishes it and stores {@code {prefix}:breaker:{service}} (TTL = recovery
 * timeout); peers then treat the service as open until that time. After it, a replica calls the
 * service again only once it holds the probe lease {@code {prefix}:probe:{service}}, which the replica that
 * opened takes first, so one replica probes and the others wait for its CLOSED or OPEN message (or for the
 * lease to expire). A peer holding the lease acts as a half-open breaker: one call at a time goes through;
 * success-threshold successes in a row publish CLOSED (every replica closes, its own breaker included), a
 * failure publishes OPEN for another recovery timeout. The replica that opened probes through its own half-open
 * breaker only while it holds the lease ({@link OwnLease}); once it lapsed, it re-takes it or follows the peer
 * that won it. All Redis work runs on this class's own thread
 * through {@link GuardedRedis}: with Redis slow or down, requests never wait for it, and each replica is left
 * with its own breakers.
 */
@Startup
@Singleton
public class SharedBreakerState implements PeerState {

    private static final long TICK_MILLIS = 100;
    private static final long RESUBSCRIBE_MILLIS = 1_000;
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);

    private final String replicaId = UUID.randomUUID().toString();
    /** Services a peer has open, and where this replica stands in probing them. */
    private final Map<String, PeerGate> gates = new ConcurrentHashMap<>();
    /** Services this replica's own breaker opened, with the probe lease it took for them. */
    private final Map<String, OwnLease> owns = new ConcurrentHashMap<>();
    /** Services whose own breaker is being closed on a peer's CLOSED: that closing must not be re-published. */
    private final Set<String> closingForPeer = ConcurrentHashMap.newKeySet();
    private final boolean enabled;
    private final String prefix;
    private final String channel;
    private final GuardedRedis redis;
    private final ReactiveRedisDataSource dataSource;
    private final BreakerRegistry breakers;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribing;
    private volatile boolean listening;
    private volatile long lastAttempt;

    public SharedBreakerState(GatewayConfig config, GuardedRedis redis, ReactiveRedisDataSource dataSource,
                              BreakerRegistry breakers, Clock clock) {
        this.enabled = config.resilience().sharedState() == GatewayConfig.SharedState.REDIS;
        this.prefix = config.resilience().sharedPrefix();
        this.channel = prefix + ":breaker-events";
        this.redis = redis;
        this.dataSource = dataSource;
        this.breakers = breakers;
        this.clock = clock;
        if (!enabled) {
            this.worker = null;
            return;
        }
        this.worker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("breakwater-shared-breakers").factory());
        breakers.usePeers(this);
        worker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean openElsewhere(String service) {
        PeerGate gate = gates.get(service);
        return gate != null && gate.blocks();
    }

    @Override
    public Admission admit(String service) {
        PeerGate gate = gates.get(service);
        if (gate == null) {
            return ownLeaseHeld(service) ? Admission.CALL : Admission.SKIP;
        }
        return gate.phase() == PeerGate.Phase.LEASED && gates.replace(service, gate, gate.probing())
                ? Admission.PROBE : Admission.SKIP;
    }

    /**
     * False once the lease of this replica's own opening has lapsed: a peer may be probing by now, so the
     * first request to notice sends the worker to re-take it, and until then the service is skipped.
     */
    private boolean ownLeaseHeld(String service) {
        OwnLease own = owns.get(service);
        if (own == null || !own.lapsed(clock.millis())) {
            return true;
        }
        if (!own.claiming() && owns.replace(service, own, own.beingClaimed())) {
            worker.execute(() -> reclaim(service));
        }
        return false;
    }

    /** Re-takes the lapsed lease of this replica's own opening, or follows the peer that holds it now. */
    private void reclaim(String service) {
        OwnLease own = owns.get(service);
        if (own == null || !own.claiming()) {
            return;
        }
        long lease = leaseMillis(service);
        Optional<Boolean> held = claim(service, lease);
        if (held.isEmpty()) {
            // Redis cannot say: the local breaker alone decides, as everywhere else without Redis.
            owns.remove(service, own);
        } else if (held.get()) {
            owns.replace(service, own, OwnLease.held(clock.millis() + lease));
        } else if (owns.remove(service, own)) {
            // The peer probes for everyone: its CLOSED closes this replica's breaker, its OPEN restarts the wait.
            gates.putIfAbsent(service, PeerGate.waiting(clock.millis()));
        }
    }

    @Override
    public void ownProbeSucceeded(String service) {
        OwnLease own = owns.get(service);
        long now = clock.millis();
        // A lapsed lease may be a peer's by now: the next request claims it instead of overwriting it.
        if (own == null || own.lapsed(now)) {
            return;
        }
        long lease = leaseMillis(service);
        if (owns.replace(service, own, OwnLease.held(Math.max(own.until(), now + lease)))) {
            worker.execute(() -> renewLease(service, lease));
        }
    }

    @Override
    public Optional<PeerOpening> opening(String service) {
        return Optional.ofNullable(gates.get(service)).map(g ->
                new PeerOpening(Instant.ofEpochMilli(g.openUntil()), g.phase() != PeerGate.Phase.WAITING));
    }

    @Override
    public void probeSucceeded(String service) {
        whenProbing(service, (gate, policy) -> succeeded(service, gate, policy));
    }

    private void succeeded(String service, PeerGate gate, ResiliencePolicy policy) {
        if (gate.successes() + 1 >= policy.breaker().successThreshold()) {
            if (gates.remove(service, gate)) {
                worker.execute(() -> shareClosed(service));
            }
            return;
        }
        long lease = lease(policy).toMillis();
        if (gates.replace(service, gate, gate.succeeded(clock.millis() + lease))) {
            worker.execute(() -> renewLease(service, lease));
        }
    }

    private void renewLease(String service, long leaseMillis) {
        redis.command("SET", probeKey(service), replicaId, "PX", Long.toString(leaseMillis));
    }

    @Override
    public void probeFailed(String service) {
        whenProbing(service, (gate, policy) -> {
            long until = clock.millis() + policy.breaker().recoveryTimeout().toMillis();
            if (gates.replace(service, gate, PeerGate.waiting(until))) {
                worker.execute(() -> shareOpen(service, policy, until));
            }
        });
    }

    @Override
    public void probeAbandoned(String service) {
        whenProbing(service, (gate, policy) -> gates.replace(service, gate, gate.leased(gate.leaseUntil())));
    }

    /** Hands over a probe still in flight; a peer's newer news, or the lease's end, makes its outcome moot. */
    private void whenProbing(String service, BiConsumer<PeerGate, ResiliencePolicy> outcome) {
        PeerGate gate = gates.get(service);
        ResiliencePolicy policy = policy(service);
        if (gate != null && gate.phase() == PeerGate.Phase.PROBING && policy != null) {
            outcome.accept(gate, policy);
        }
    }

    /** Whether peer messages currently arrive (this replica has heard its own hello on the channel). */
    public boolean connected() {
        return listening;
    }

    void onTransition(@Observes BreakerTransition transition) {
        String service = transition.service();
        if (!enabled || GuardedRedis.SERVICE.equals(service) || transition.to() == BreakerState.HALF_OPEN) {
            return;
        }
        if (transition.to() == BreakerState.CLOSED) {
            owns.remove(service);
            if (!closingForPeer.contains(service)) {
                worker.execute(() -> shareClosed(service));
            }
            return;
        }
        ResiliencePolicy policy = policy(service);
        if (policy != null) {
            long until = transition.at().toEpochMilli() + policy.breaker().recoveryTimeout().toMillis();
            if (listening) {
                // The lease shareOpen takes below; without the channel a peer's verdict could not be heard anyway.
                owns.put(service, OwnLease.held(until + lease(policy).toMillis()));
            }
            worker.execute(() -> shareOpen(service, policy, until));
        }
    }

    private void shareClosed(String service) {
        redis.command("DEL", breakerKey(service), probeKey(service));
        redis.command("PUBLISH", channel, PeerMessage.closed(replicaId, service).encode());
    }

    private void shareOpen(String service, ResiliencePolicy policy, long until) {
        Duration recovery = policy.breaker().recoveryTimeout();
        // The replica that saw the failures probes first: peers wait for its verdict, not race it.
        redis.command("SET", probeKey(service), replicaId, "PX",
                Long.toString(recovery.plus(lease(policy)).toMillis()));
        redis.command("SET", breakerKey(service), Long.toString(until), "PX", Long.toString(recovery.toMillis()));
        redis.command("PUBLISH", channel, PeerMessage.opened(replicaId, service, until).encode());
    }

    private void tick() {
        try {
            if (!listening) {
                join();
            }
            long now = clock.millis();
            gates.forEach((service, gate) -> {
                if (gate.phase() == PeerGate.Phase.WAITING && gate.openUntil() <= now) {
                    tryToProbe(service, gate);
                } else if (gate.phase() != PeerGate.Phase.WAITING && gate.leaseUntil() <= now) {
                    gates.replace(service, gate, gate.expired());
                }
            });
        } catch (RuntimeException e) {
            Log.debugf("shared breaker state: %s", e.toString());
        }
    }

    /**
     * Lets one call through once this replica holds the probe lease (it may already hold it: its own
     * failed probe re-opened the service). If Redis cannot say, the replica is left with its own breaker.
     */
    private void tryToProbe(String service, PeerGate gate) {
        long lease = leaseMillis(service);
        Optional<Boolean> held = claim(service, lease);
        if (held.isEmpty()) {
            gates.remove(service, gate);
        } else if (held.get()) {
            gates.replace(service, gate, gate.leased(clock.millis() + lease));
        }
    }

    /** Takes the probe lease, or learns that this replica holds it already; empty when Redis cannot say. */
    private Optional<Boolean> claim(String service, long leaseMillis) {
        return redis.command("SET", probeKey(service), replicaId, "NX", "PX", Long.toString(leaseMillis))
                .map(reply -> !reply.isEmpty() || holdsLease(service));
    }

    private boolean holdsLease(String service) {
        return redis.command("GET", probeKey(service)).filter(replicaId::equals).isPresent();
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

    private ResiliencePolicy policy(String service) {
        return breakers.find(service).map(ResilientClient::policy).orElse(null);
    }

    /**
     * Subscribes, then says hello until the hello comes back: with the pooled client the subscription's
     * Uni may never complete although messages flow, so hearing ourselves is the proof of listening.
     */
    private void join() {
        long now = System.currentTimeMillis();
        if (now - lastAttempt < RESUBSCRIBE_MILLIS) {
            return;
        }
        lastAttempt = now;
        if (subscribing) {
            redis.command("PUBLISH", channel, PeerMessage.hello(replicaId).encode());
            return;
        }
        subscribing = true;
        dataSource.pubsub(String.class)
                .subscribe(channel, this::receive, this::lost, failure -> lost())
                .subscribe().with(s -> {
                    subscriber = s;
                    worker.execute(() -> redis.command("PUBLISH", channel, PeerMessage.hello(replicaId).encode()));
                }, failure -> {
                    Log.debugf("shared breaker state: cannot subscribe (%s), local breakers only", failure.toString());
                    lost();
                });
    }

    private void lost() {
        listening = false;
        subscribing = false;
        subscriber = null;
        gates.clear();
        owns.clear();
    }

    /** A replica (re)joining learns of breakers its peers opened while it was not listening. */
    private void readOpenKeys() {
        for (ResilientClient client : breakers.all()) {
            redis.command("GET", breakerKey(client.service()))
                    .filter(v -> !v.isEmpty())
                    .ifPresent(until -> markOpen(client.service(), Long.parseLong(until)));
        }
    }

    private void receive(String text) {
        PeerMessage.decode(text).ifPresent(m -> {
            if (m.replica().equals(replicaId)) {
                if (m.state() == BreakerState.HALF_OPEN && !listening) {
                    listening = true;
                    worker.execute(this::readOpenKeys);
                }
            } else if (m.state() == BreakerState.OPEN) {
                markOpen(m.service(), m.openUntil());
            } else if (m.state() == BreakerState.CLOSED) {
                gates.remove(m.service());
                worker.execute(() -> closeForPeer(m.service()));
            }
        });
    }

    private void markOpen(String service, long until) {
        if (!GuardedRedis.SERVICE.equals(service) && until > clock.millis()) {
            gates.put(service, PeerGate.waiting(until));
        }
    }

    private long leaseMillis(String service) {
        return Optional.ofNullable(policy(service)).map(SharedBreakerState::lease).orElse(MIN_LEASE).toMillis();
    }

    private static Duration lease(ResiliencePolicy policy) {
        Duration timeout = policy.timeout();
        return timeout == null || timeout.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : timeout;
    }

    private String breakerKey(String service) {
        return prefix + ":breaker:" + service;
    }

    private String probeKey(String service) {
        return prefix + ":probe:" + service;
    }

    @PreDestroy
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
        ReactiveRedisSubscriber s = subscriber;
        if (s != null) {
            s.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
