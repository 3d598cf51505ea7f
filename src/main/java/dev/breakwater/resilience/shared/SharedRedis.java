package dev.breakwater.resilience.shared;

import java.util.Optional;

/**
 * The one thing the shared breaker state needs from Redis besides pub/sub: a command and its reply. Kept
 * this small so the package does not depend on how the gateway guards its Redis (cache.GuardedRedis
 * implements it behind its own breaker and timeout).
 */
public interface SharedRedis {

    /** The reply as text (a Redis nil reads as ""), or empty on any Redis trouble. Blocks at most a short timeout. */
    Optional<String> command(String command, String... args);

    /** The breaker guarding Redis itself: never shared, each replica sees Redis its own way. */
    String guardService();

    /** False while Redis is taken to be away (its guard is open), true when a failure may be a passing one. */
    boolean answering();
}
