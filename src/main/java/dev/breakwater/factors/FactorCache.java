package dev.breakwater.factors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.config.GatewayConfig;
import io.quarkus.logging.Log;
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
    private final ObjectMapper json;
    private final Clock clock;
    private final GatewayConfig.Factors config;

    public FactorCache(GatewayConfig config, GuardedRedis redis, ObjectMapper json, Clock clock) {
        this.config = config.factors();
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    public static String key(String category) {
        return PREFIX + category;
    }

    public Optional<CachedFactor> get(String category) {
        return redis.get(key(category)).flatMap(raw -> {
            try {
                return Optional.of(json.readValue(raw, CachedFactor.class));
            } catch (JsonProcessingException e) {
                Log.debugf("ignoring unreadable cached factor for %s", category);
                return Optional.empty();
            }
        });
    }

    public void put(String category, Factor factor) {
        try {
            redis.set(key(category), json.writeValueAsString(new CachedFactor(factor, clock.millis())), config.cacheTtl());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
