package dev.breakwater.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Categorization answers in Redis. Entries live for {@code retention}; they count as fresh for {@code ttl}. */
@Singleton
public class AnswerCache {

    private final GuardedRedis redis;
    private final ObjectMapper json;
    private final Clock clock;
    private final GatewayConfig.Cache config;

    public AnswerCache(GatewayConfig config, GuardedRedis redis, ObjectMapper json, Clock clock) {
        this.config = config.cache();
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    /** The stored answer of any age, or empty. */
    public Optional<CachedAnswer> get(String key) {
        return redis.get(key).flatMap(raw -> {
            try {
                return Optional.of(json.readValue(raw, CachedAnswer.class));
            } catch (JsonProcessingException e) {
                Log.debugf("ignoring unreadable cache entry");
                return Optional.empty();
            }
        });
    }

    public void put(String key, CachedAnswer answer) {
        try {
            redis.set(key, json.writeValueAsString(answer), config.retention());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
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
