package dev.breakwater.factors;

import java.time.Duration;
import java.time.Instant;

/** A broker answer as kept in Redis, with the time it was stored so its age can be reported. */
public record CachedFactor(Factor factor, long storedAtMillis) {

    public Duration age(Instant now) {
        return Duration.ofMillis(Math.max(0, now.toEpochMilli() - storedAtMillis));
    }
}
