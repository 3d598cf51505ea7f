package dev.breakwater.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.cache.GuardedRedis;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key table in Redis (through {@link GuardedRedis}: its breaker and timeout), and each change
 * announced on the keys channel so every replica's cache follows within a second. Every method
 * answers empty or false when Redis is away: the caller decides what that means (503, keep the cache).
 */
@Singleton
public class KeyStore {

    private final GuardedRedis redis;
    private final KeySpace space;
    private final ObjectMapper json;

    public KeyStore(GuardedRedis redis, KeySpace space, ObjectMapper json) {
        this.redis = redis;
        this.space = space;
        this.json = json;
    }

    public Optional<List<CallerKey>> all() {
        return redis.reply("HVALS", space.table()).map(values -> {
            List<CallerKey> keys = new ArrayList<>();
            for (Response value : values) {
                try {
                    keys.add(json.readValue(value.toString(), CallerKey.class));
                } catch (JsonProcessingException e) {
                    Log.warnf("ignoring an unreadable entry of the key table %s", space.table());
                }
            }
            return keys;
        });
    }

    /** Stores (or replaces) the key and tells the other replicas; false when Redis is away. */
    public boolean save(CallerKey key) {
        try {
            return redis.command("HSET", space.table(), key.id(), json.writeValueAsString(key)).isPresent()
                    && announce("put " + key.id());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a caller key", e);
        }
    }

    public boolean delete(String id) {
        return redis.command("HDEL", space.table(), id).isPresent() && announce("del " + id);
    }

    /** The key's use in the period starting at {@code periodStart}; empty when Redis is away. */
    public Optional<UsageTotals> usage(String id, long periodStart) {
        return redis.reply("HMGET", space.usage(id, periodStart), "requests", "prompt_tokens", "completion_tokens", "cost_nanos")
                .map(r -> new UsageTotals(number(r.get(0)), number(r.get(1)), number(r.get(2)), number(r.get(3))));
    }

    private boolean announce(String message) {
        return redis.command("PUBLISH", space.channel(), message).isPresent();
    }

    private static long number(Response value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }
}
