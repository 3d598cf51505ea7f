package dev.breakwater.keys;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.shared.ChannelMembership;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every known key, in memory, so a key check never waits for Redis: the whole table is read at start,
 * every change announced on the keys channel is applied at once (a revoked key is gone on every replica
 * within a second), and the table is re-read every {@code auth.sync-interval} in case a message was lost,
 * and on every (re-)join of the channel ({@link ChannelMembership}) for the changes made meanwhile.
 * With Redis away the last table stays in force (fail-static): known keys keep working.
 * The worker also lets {@link Limiter} notice that Redis is back when no request comes to tell it.
 */
@Startup
@Singleton
public class KeyCache implements ChannelMembership.Listener {

    private static final long TICK_MILLIS = 500;

    private final KeyStore store;
    private final Limiter limiter;
    private final List<CallerKey> declared;
    private final Duration syncInterval;
    /** Both null unless caller keys are on. */
    private final ChannelMembership channel;
    private final ScheduledExecutorService worker;
    private volatile KeyTable table;
    private volatile long lastSync;

    public KeyCache(GatewayConfig config, KeyStore store, Limiter limiter, ReactiveRedisDataSource dataSource,
                    GuardedRedis redis, KeySpace space) {
        this.store = store;
        this.limiter = limiter;
        this.declared = DeclaredKeys.of(config);
        this.syncInterval = config.auth().syncInterval();
        this.table = KeyTable.of(declared);
        if (config.auth().mode() != GatewayConfig.AuthMode.KEYS) {
            this.channel = null;
            this.worker = null;
            return;
        }
        this.channel = new ChannelMembership("keys", space.channel(), dataSource.getRedis(), redis, this);
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

    /**
     * Where this replica stands on the keys channel (while joined, other replicas' revocations reach it at
     * once); empty unless caller keys are on.
     */
    public Optional<ChannelMembership.State> channelState() {
        return Optional.ofNullable(channel).map(ChannelMembership::state);
    }

    private void tick() {
        try {
            channel.keepJoined();
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

    /** Changes made while this replica was not listening. */
    @Override
    public void joined() {
        later(this::sync);
    }

    /** Until it joins again, the periodic re-read alone brings other replicas' changes. */
    @Override
    public void lost() {
    }

    /** "del {id}" is applied on the spot (revocation must not wait for Redis); "put {id}" re-reads the table. */
    @Override
    public void message(String text) {
        if (text.startsWith("del ")) {
            remove(text.substring(4));
        }
        later(this::sync);
    }

    private void later(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException stopped) {
            // Shutting down: nothing left to keep up to date.
        }
    }

    /** Before the Redis client closes under it: its end would read as a lost channel. */
    void onStop(@Observes ShutdownEvent stop) {
        close();
    }

    @PreDestroy
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
            channel.close();
        }
    }
}
