package dev.breakwater.resilience.shared;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerCall;
import dev.breakwater.resilience.BreakerRegistered;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerTransition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

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
                new Forward<BreakerCall>(c -> { }), new Forward<BreakerRegistered>(r -> { }));
        redis = new GuardedRedis(config, dataSource, breakers, new ObjectMapper());
        shared = new SharedBreakerState(config, redis, dataSource, breakers, clock, new SimpleMeterRegistry());
        self[0] = shared;
    }

    @Override
    public void close() {
        shared.close();
        client.close();
    }

    /** An {@link Event} that hands each event to a consumer, as an observer method would receive it. */
    private record Forward<T>(Consumer<T> observer) implements Event<T> {
        @Override
        public void fire(T event) {
            observer.accept(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event) {
            fire(event);
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            return fireAsync(event);
        }

        @Override
        public Event<T> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
