package dev.breakwater.cache;

import java.time.Duration;
import java.time.Instant;

/** A categorization as stored in Redis, with the time it was stored so freshness is decided on read. */
public record CachedAnswer(String category, String label, double confidence, String model, String provider, long storedAtMillis) {

    public Duration age(Instant now) {
        return Duration.ofMillis(Math.max(0, now.toEpochMilli() - storedAtMillis));
    }
}
