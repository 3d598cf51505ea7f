package dev.breakwater.factors;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * Tier 2: the broker's last answer per category, in Redis through {@link GuardedRedis} (so Redis
 * trouble reads as a miss and never fails a factor request).
 */
@Singleton
public class FactorCache {

    static final String PREFIX = "breakwater:factor:";

    private final GuardedRedis redis;
    private final Clock clock;
    private final GatewayConfig.Factors config;

    public FactorCache(GatewayConfig config, GuardedRedis redis, Clock clock) {
        this.config = config.factors();
        this.redis = redis;
        this.clock = clock;
    }

    public static String key(String category) {
        return PREFIX + category;
    }

    public Optional<CachedFactor> get(String category) {
        return redis.getJson(key(category), CachedFactor.class);
    }

    public void put(String category, Factor factor) {
        redis.setJson(key(category), new CachedFactor(factor, clock.millis()), config.cacheTtl());
    }
}
