package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.BreakerState;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * This replica's membership of the breaker channel. It subscribes, then says hello until the hello comes
 * back: with the pooled client the subscription's Uni may never complete although messages flow, and in a
 * Redis Cluster the subscription sits on one node that may die, so hearing ourselves is the proof of
 * listening. Losing the subscription is reported once, and joining is retried every second from the tick.
 */
final class PeerChannel {

    private static final long REJOIN_MILLIS = 1_000;

    /** What the channel tells its owner, on a Redis client thread: each must only touch memory. */
    interface Listener {
        void joined();

        void lost();

        void fromPeer(PeerMessage message);
    }

    private final ReactiveRedisDataSource dataSource;
    private final SharedStateErrors redis;
    private final String channel;
    private final String replicaId;
    private final Executor worker;
    private final Listener listener;
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribing;
    private volatile boolean listening;
    private volatile boolean closing;
    private long lastAttempt;
    private volatile long subscription;

    PeerChannel(ReactiveRedisDataSource dataSource, SharedStateErrors redis, String channel, String replicaId,
                Executor worker, Listener listener) {
        this.dataSource = dataSource;
        this.redis = redis;
        this.channel = channel;
        this.replicaId = replicaId;
        this.worker = worker;
        this.listener = listener;
    }

    boolean listening() {
        return listening;
    }

    void publish(PeerMessage message) {
        redis.command("PUBLISH", channel, message.encode());
    }

    /** Called from the worker's tick: (re)joins at most once a second while not listening. */
    void keepJoined() {
        if (listening) {
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        if (now - lastAttempt < REJOIN_MILLIS) {
            return;
        }
        lastAttempt = now;
        if (subscribing) {
            publish(PeerMessage.hello(replicaId));
            return;
        }
        subscribing = true;
        // The end of an earlier, abandoned subscription must not tear down the current one.
        long current = ++subscription;
        dataSource.pubsub(String.class)
                .subscribe(channel, this::receive, () -> lost(current), failure -> lost(current))
                .subscribe().with(s -> {
                    subscriber = s;
                    worker.execute(() -> publish(PeerMessage.hello(replicaId)));
                }, failure -> {
                    Log.debugf("shared breaker state: cannot subscribe (%s)", failure.toString());
                    lost(current);
                });
    }

    private void lost(long ended) {
        if (ended != subscription) {
            return;
        }
        boolean was = listening;
        listening = false;
        subscribing = false;
        subscriber = null;
        if (was && !closing) {
            Log.warn("shared breaker state: lost the breaker channel; each replica keeps its own breakers until it rejoins");
        }
        listener.lost();
    }

    private void receive(String text) {
        PeerMessage.decode(text).ifPresent(m -> {
            if (!m.replica().equals(replicaId)) {
                listener.fromPeer(m);
            } else if (m.state() == BreakerState.HALF_OPEN && !listening) {
                listening = true;
                listener.joined();
            }
        });
    }

    void close() {
        closing = true;
        ReactiveRedisSubscriber s = subscriber;
        if (s != null) {
            s.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
