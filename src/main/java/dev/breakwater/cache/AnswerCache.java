package dev.breakwater.cache;

import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Categorization answers in Redis. Entries live for {@code retention}; they count as fresh for {@code ttl}. */
@Singleton
public class AnswerCache {

    private final GuardedRedis redis;
    private final Clock clock;
    private final GatewayConfig.Cache config;

    public AnswerCache(GatewayConfig config, GuardedRedis redis, Clock clock) {
        this.config = config.cache();
        this.redis = redis;
        this.clock = clock;
    }

    /** The stored answer of any age, or empty. */
    public Optional<CachedAnswer> get(String key) {
        return redis.getJson(key, CachedAnswer.class);
    }

    public void put(String key, CachedAnswer answer) {
        redis.setJson(key, answer, config.retention());
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
