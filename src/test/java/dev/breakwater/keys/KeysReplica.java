package dev.breakwater.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerCall;
import dev.breakwater.resilience.BreakerRegistered;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.testing.Forward;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

import java.time.Clock;
import java.util.List;

/**
 * A second gateway replica in the test JVM, as far as caller keys go: its own Redis connection, guarded
 * Redis, key cache, limiter and guard, wired as CDI wires the real ones. {@link #call} is what the auth
 * filter and the chat path do with a request: look the key up in memory, then admit it for its models.
 */
final class KeysReplica implements AutoCloseable {

    final KeyCache cache;
    final KeyStore store;
    final KeyGuard guard;
    final KeyUsage usage;
    final LimitsDegraded degraded;
    private final Redis client;

    KeysReplica(Vertx vertx, GatewayConfig config, String redisUrl, Clock clock) {
        client = Redis.createClient(vertx, redisUrl);
        var dataSource = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        BreakerRegistry breakers = new BreakerRegistry(clock, new Forward<BreakerTransition>(t -> { }),
                new Forward<BreakerCall>(c -> { }), new Forward<BreakerRegistered>(r -> { }),
                new Forward<dev.breakwater.resilience.BreakerRemoved>(r -> { }));
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        GuardedRedis redis = new GuardedRedis(config, dataSource, breakers, json);
        KeySpace space = new KeySpace(config);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        degraded = new LimitsDegraded(meters);
        Limiter limiter = new Limiter(redis, space, degraded, clock);
        store = new KeyStore(redis, space, json);
        cache = new KeyCache(config, store, limiter, dataSource, redis, space);
        KeyMetrics metrics = new KeyMetrics(meters);
        guard = new KeyGuard(limiter, metrics);
        usage = new KeyUsage(new Prices(config), limiter, metrics);
    }

    /** A request on this replica: 401 for an unknown key, else the key check for {@code models}. */
    KeyCall call(String secret, String... models) {
        KeyCall call = KeyCall.of(cache.find(secret).orElseThrow(() -> KeyRefusal.invalidKey("unknown")), 0);
        guard.admit(call, List.of(models)).await().indefinitely();
        return call;
    }

    @Override
    public void close() {
        cache.close();
        client.close();
    }
}
