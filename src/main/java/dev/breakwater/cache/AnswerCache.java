package dev.breakwater.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.resilience.RetrySettings;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers in Redis. Redis is a dependency like any other: it sits behind its own breaker and a
 * short timeout, and every failure reads as a miss, so Redis down or slow never fails a request
 * and never costs more than the timeout.
 */
@Singleton
public class AnswerCache {

    public static final String SERVICE = "redis";

    private final ReactiveValueCommands<String, String> values;
    private final ResilientClient guard;
    private final ObjectMapper json;
    private final Clock clock;
    private final GatewayConfig.Cache config;

    public AnswerCache(GatewayConfig config, ReactiveRedisDataSource redis, BreakerRegistry breakers, ObjectMapper json, Clock clock) {
        this.config = config.cache();
        this.values = redis.value(String.class);
        this.json = json;
        this.clock = clock;
        this.guard = breakers.register(SERVICE, new ResiliencePolicy(BreakerSettings.of(this.config.circuitBreaker()),
                RetrySettings.NONE, this.config.timeout()));
    }

    /** The stored answer of any age, or empty on a miss or any Redis trouble. */
    public Optional<CachedAnswer> get(String key) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        try {
            String raw = guard.call(() -> values.get(key).await().atMost(config.timeout()));
            return raw == null ? Optional.empty() : Optional.of(json.readValue(raw, CachedAnswer.class));
        } catch (Exception e) {
            Log.debugf("cache read skipped: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    public void put(String key, CachedAnswer answer) {
        if (!config.enabled()) {
            return;
        }
        try {
            String raw = json.writeValueAsString(answer);
            guard.call(() -> values.setex(key, config.retention().toSeconds(), raw).await().atMost(config.timeout()));
        } catch (Exception e) {
            Log.debugf("cache write skipped: %s", e.getClass().getSimpleName());
        }
    }

    public boolean isFresh(CachedAnswer answer) {
        return answer.age(clock.instant()).compareTo(config.ttl()) < 0;
    }

    public Duration age(CachedAnswer answer) {
        return answer.age(clock.instant());
    }

    public CachedAnswer stamp(String category, String label, double confidence, String model, String provider) {
        return new CachedAnswer(category, label, confidence, model, provider, clock.millis());
    }
}
