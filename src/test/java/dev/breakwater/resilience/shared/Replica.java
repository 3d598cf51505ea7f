package dev.breakwater.resilience.shared;

import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A second gateway replica inside the test JVM: its own Redis connection, breaker registry, guarded
 * Redis and shared breaker state (with its own replica id), wired as CDI wires the real one.
 */
final class Replica implements AutoCloseable {

    final BreakerRegistry breakers;
    final GuardedRedis redis;
    final SharedBreakerState shared;
    private final Redis client;

    Replica(Vertx vertx, GatewayConfig config, String redisUrl) {
        this(vertx, config, redisUrl, Clock.systemUTC());
    }

    /** A replica whose clock reads {@code clock}: skewed against the gateway's, say. */
    Replica(Vertx vertx, GatewayConfig config, String redisUrl, Clock clock) {
        client = Redis.createClient(vertx, redisUrl);
        var dataSource = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        SharedBreakerState[] self = new SharedBreakerState[1];
        breakers = new BreakerRegistry(clock, new Forward<>(t -> self[0].onTransition(t)),
                new Forward<BreakerCall>(c -> { }), new Forward<BreakerRegistered>(r -> { }),
                new Forward<dev.breakwater.resilience.BreakerRemoved>(r -> { }));
        redis = new GuardedRedis(config, dataSource, breakers, new ObjectMapper());
        shared = new SharedBreakerState(config, redis, dataSource, breakers, clock, new SimpleMeterRegistry());
        self[0] = shared;
    }

    @Override
    public void close() {
        shared.close();
        client.close();
    }
}
