package dev.breakwater.keys;

import dev.breakwater.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every known key, in memory, so a key check never waits for Redis: the whole table is read at start,
 * every change announced on the keys channel is applied at once (a revoked key is gone on every replica
 * within a second), and the table is re-read every {@code auth.sync-interval} in case a message was lost.
 * With Redis away the last table stays in force (fail-static): known keys keep working.
 * The worker also lets {@link Limiter} notice that Redis is back when no request comes to tell it.
 */
@Startup
@Singleton
public class KeyCache {

    private static final long TICK_MILLIS = 500;

    private final boolean enabled;
    private final KeyStore store;
    private final Limiter limiter;
    private final ReactiveRedisDataSource dataSource;
    private final KeySpace space;
    private final List<CallerKey> declared;
    private final Duration syncInterval;
    private final ScheduledExecutorService worker;
    private volatile KeyTable table;
    private static final long SUBSCRIBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribing;
    /** The current subscription attempt; a late answer or end of an abandoned one is ignored. */
    private volatile long attempt;
    private volatile long attemptStartedNanos;
    private volatile long lastSync;

    public KeyCache(GatewayConfig config, KeyStore store, Limiter limiter, ReactiveRedisDataSource dataSource, KeySpace space) {
        this.enabled = config.auth().mode() == GatewayConfig.AuthMode.KEYS;
        this.store = store;
        this.limiter = limiter;
        this.dataSource = dataSource;
        this.space = space;
        this.declared = DeclaredKeys.of(config);
        this.syncInterval = config.auth().syncInterval();
        this.table = KeyTable.of(declared);
        if (!enabled) {
            this.worker = null;
            return;
        }
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("breakwater-keys").factory());
        worker.execute(this::sync);
        worker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The key whose secret is {@code secret}, if any replica created it (or the YAML declares it). */
    public Optional<CallerKey> find(String secret) {
        return table.byHash(KeySecrets.hash(secret));
    }

    public Optional<CallerKey> byId(String id) {
        return table.byId(id);
    }

    public List<CallerKey> all() {
        List<CallerKey> all = new ArrayList<>(table.byId().values());
        all.sort(java.util.Comparator.comparing(CallerKey::name));
        return all;
    }

    /** Applies a change made here at once, before its announcement comes back through Redis. */
    public void put(CallerKey key) {
        table = table.with(key);
    }

    public void remove(String id) {
        table = table.without(id);
    }

    /** Whether this replica hears the keys channel (revocations by other replicas reach it at once). */
    public boolean listening() {
        return subscriber != null;
    }

    private void tick() {
        try {
            if (subscriber == null && (!subscribing || System.nanoTime() - attemptStartedNanos > SUBSCRIBE_TIMEOUT_NANOS)) {
                subscribe();
            }
            if (System.currentTimeMillis() - lastSync >= syncInterval.toMillis()) {
                sync();
            }
            limiter.probeWhenDegraded();
        } catch (RuntimeException e) {
            Log.debugf("caller keys: sync skipped (%s)", e.toString());
        }
    }

    /** Re-reads the whole table; with Redis away the table in memory stays as it is. */
    void sync() {
        store.all().ifPresent(stored -> {
            List<CallerKey> all = new ArrayList<>(stored);
            all.removeIf(CallerKey::declared);
            all.addAll(declared);
            table = KeyTable.of(all);
            lastSync = System.currentTimeMillis();
        });
    }

    /**
     * An attempt whose SUBSCRIBE confirmation never comes (the Vert.x client can drop it: "No handler
     * waiting for message: [subscribe, …]") is abandoned after {@link #SUBSCRIBE_TIMEOUT_NANOS} and
     * made again, rather than leaving this replica deaf to revocations until it restarts.
     */
    private void subscribe() {
        long current = ++attempt;
        subscribing = true;
        attemptStartedNanos = System.nanoTime();
        dataSource.pubsub(String.class)
                .subscribe(space.channel(), this::receive, () -> lost(current), failure -> lost(current))
                .subscribe().with(s -> {
                    if (current != attempt) {
                        s.unsubscribe().subscribe().with(ok -> { }, failure -> { });
                        return;
                    }
                    subscriber = s;
                    subscribing = false;
                    // Changes made while this replica was not listening.
                    worker.execute(this::sync);
                }, failure -> lost(current));
    }

    private void lost(long ended) {
        if (ended != attempt) {
            return;
        }
        subscriber = null;
        subscribing = false;
    }

    /** "del {id}" is applied on the spot (revocation must not wait for Redis); "put {id}" re-reads the table. */
    private void receive(String message) {
        if (message.startsWith("del ")) {
            remove(message.substring(4));
        }
        worker.execute(this::sync);
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
