package dev.breakwater.resilience.shared;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes shared-state trouble visible without flooding the log: every failed Redis call and every exception
 * of a worker task counts in {@code breakwater_shared_state_errors_total{kind}}, the first of an episode
 * logs one WARN, and the first success after it one INFO. While an episode lasts each replica is left with
 * its own breakers, which is safe but no longer fleet-wide.
 */
final class SharedStateErrors {

    private final SharedRedis redis;
    private final Counter redisErrors;
    private final Counter taskErrors;
    private final AtomicBoolean inEpisode = new AtomicBoolean();
    private final AtomicBoolean tasksFailing = new AtomicBoolean();

    SharedStateErrors(SharedRedis redis, MeterRegistry meters) {
        this.redis = redis;
        this.redisErrors = counter(meters, "redis");
        this.taskErrors = counter(meters, "task");
    }

    private static Counter counter(MeterRegistry meters, String kind) {
        return Counter.builder("breakwater.shared_state.errors")
                .description("Failed Redis calls and failed tasks of the shared breaker state")
                .tag("kind", kind)
                .register(meters);
    }

    /** A command through the port, counted and logged when it fails. */
    Optional<String> command(String command, String... args) {
        Optional<String> reply = redis.command(command, args);
        if (reply.isEmpty()) {
            redisErrors.increment();
            if (inEpisode.compareAndSet(false, true)) {
                Log.warnf("shared breaker state: Redis %s failed (see the '%s' breaker); each replica keeps its"
                        + " own breakers until Redis answers again", command, redis.guardService());
            }
        } else if (inEpisode.compareAndSet(true, false)) {
            Log.info("shared breaker state: Redis answers again");
        }
        return reply;
    }

    /** Wraps a task of the worker thread, whose exceptions an executor would otherwise swallow. */
    Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
                tasksFailing.set(false);
            } catch (RuntimeException e) {
                taskErrors.increment();
                if (tasksFailing.compareAndSet(false, true)) {
                    Log.warnf(e, "shared breaker state: %s failed", what);
                }
            }
        };
    }
}
