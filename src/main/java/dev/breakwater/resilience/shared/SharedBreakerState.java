package dev.breakwater.resilience.shared;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Breaker state shared across gateway replicas through Redis ({@code resilience.shared-state: redis}).
 * A replica whose breaker opens publishes it and stores {@code {prefix}:breaker:{service}} (TTL = recovery
 * timeout); peers then treat the service as open until that time. After it, a replica calls the
 * service again only once it holds the probe lease {@code {prefix}:probe:{service}}, which the replica that
 * opened takes first, so one replica probes and the others wait for its CLOSED or OPEN message (or for the
 * lease to expire). All Redis work runs on this class's own thread through {@link GuardedRedis}: with Redis
 * slow or down, requests never wait for it, and each replica is left with its own breakers.
 */
@Startup
@Singleton
public class SharedBreakerState implements PeerState {

    private static final long TICK_MILLIS = 100;
    private static final long RESUBSCRIBE_MILLIS = 1_000;
    private static final Duration MIN_LEASE = Duration.ofSeconds(1);

    private final String replicaId = UUID.randomUUID().toString();
    /** Services a peer has open, to the epoch millis its recovery timeout ends. */
    private final Map<String, Long> openByPeer = new ConcurrentHashMap<>();
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
        return openByPeer.containsKey(service);
    }

    /** Whether peer messages currently arrive (this replica has heard its own hello on the channel). */
    public boolean connected() {
        return listening;
    }

    void onTransition(@Observes BreakerTransition transition) {
        if (!enabled || GuardedRedis.SERVICE.equals(transition.service())
                || transition.to() == BreakerState.HALF_OPEN) {
            return;
        }
        worker.execute(() -> share(transition));
    }

    private void share(BreakerTransition transition) {
        String service = transition.service();
        if (transition.to() == BreakerState.CLOSED) {
            redis.command("DEL", breakerKey(service));
            redis.command("PUBLISH", channel, PeerMessage.closed(replicaId, service).encode());
            return;
        }
        ResiliencePolicy policy = breakers.find(service).map(ResilientClient::policy).orElse(null);
        if (policy == null) {
            return;
        }
        Duration recovery = policy.breaker().recoveryTimeout();
        long until = transition.at().toEpochMilli() + recovery.toMillis();
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
            openByPeer.forEach((service, until) -> {
                if (until <= now) {
                    tryToProbe(service);
                }
            });
        } catch (RuntimeException e) {
            Log.debugf("shared breaker state: %s", e.toString());
        }
    }

    /** Lets this replica call the service again if it gets the probe lease, or if Redis cannot say. */
    private void tryToProbe(String service) {
        String lease = breakers.find(service).map(c -> lease(c.policy())).orElse(MIN_LEASE).toMillis() + "";
        String reply = redis.command("SET", probeKey(service), replicaId, "NX", "PX", lease).orElse("OK");
        if (!reply.isEmpty()) {
            openByPeer.remove(service);
        }
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
        openByPeer.clear();
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
                openByPeer.remove(m.service());
            }
        });
    }

    private void markOpen(String service, long until) {
        if (!GuardedRedis.SERVICE.equals(service) && until > clock.millis()) {
            openByPeer.put(service, until);
        }
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
