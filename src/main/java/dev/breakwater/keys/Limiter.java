package dev.breakwater.keys;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.cache.RedisScript;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * rpm, tpm and budgets across replicas: one Lua script per check and one per answer, so reading the
 * counters and counting the request is a single atomic step in Redis whatever the number of replicas.
 * Windows are whole minutes of the injected clock; budgets run per {@link CallerKey#periodStart period}.
 * <p>
 * With Redis away (the call through {@link GuardedRedis} fails or its breaker is open) the check falls
 * back to {@link LocalLimiter}, {@link LimitsDegraded} says so, and the usage counted meanwhile is
 * written back once Redis answers again.
 */
@Singleton
public class Limiter {

    static final long WINDOW_MILLIS = 60_000;
    private static final String WINDOW_TTL = Long.toString(WINDOW_MILLIS * 2);
    private static final RedisScript ADMIT = RedisScript.resource("/keys/admit.lua");
    private static final RedisScript RECORD = RedisScript.resource("/keys/record.lua");
    /** Usage outlives its period by a day, so a period's totals can still be read just after it ends. */
    private static final long USAGE_GRACE_SECONDS = 86_400;

    private final GuardedRedis redis;
    private final KeySpace space;
    private final LimitsDegraded degraded;
    private final Clock clock;
    private final LocalLimiter local = new LocalLimiter();

    public Limiter(GuardedRedis redis, KeySpace space, LimitsDegraded degraded, Clock clock) {
        this.redis = redis;
        this.space = space;
        this.degraded = degraded;
        this.clock = clock;
    }

    /**
     * Counts the request if the key's window and budget have room; otherwise says which limit refused it.
     * Does not block: called on the request's event loop, the reply comes back there (see {@link KeyGuard}).
     */
    public Uni<Admission> admit(CallerKey key) {
        return Uni.createFrom().deferred(() -> {
            long now = clock.millis();
            long window = now / WINDOW_MILLIS;
            long periodStart = key.periodStart(now);
            long resetMillis = (window + 1) * WINDOW_MILLIS - now;
            long periodReset = periodStart + key.budgetPeriodSeconds() * 1000 - now;
            // During an outage every check stays local until the key worker's probe finds Redis back: one
            // episode, not a flip-flop per request (and no request waits for a Redis that is known to be away).
            if (degraded.active()) {
                return Uni.createFrom().item(locally(key, window, periodStart, resetMillis, periodReset));
            }
            return redis.evalNow(ADMIT, 2, space.window(key.id(), window), space.usage(key.id(), periodStart),
                            limit(key.rpm()), limit(key.tpm()), Long.toString(key.budgetNanos()), WINDOW_TTL,
                            Long.toString(usageTtl(key)))
                    .onItemOrFailure().transform((reply, failure) -> {
                        if (failure == null) {
                            return shared(key, window, periodStart, resetMillis, periodReset, reply);
                        }
                        Log.debugf("caller-key admission decided locally: %s", failure.toString());
                        return locally(key, window, periodStart, resetMillis, periodReset);
                    });
        });
    }

    private Admission shared(CallerKey key, long window, long periodStart, long resetMillis, long periodReset, String reply) {
        String[] words = reply.split(" ");
        long spent = Long.parseLong(words[3]);
        if (key.budgetNanos() >= 0) {
            local.spentInRedis(key, periodStart, spent);
        }
        return new Admission(Verdict.parse(words[0]), key, window, periodStart, Long.parseLong(words[1]),
                Long.parseLong(words[2]), spent, resetMillis, periodReset, false);
    }

    private Admission locally(CallerKey key, long window, long periodStart, long resetMillis, long periodReset) {
        degraded.enter();
        long[] seen = new long[3];
        Verdict verdict = local.admit(key, window, periodStart, seen);
        return new Admission(verdict, key, window, periodStart, seen[0], seen[1], seen[2], resetMillis, periodReset, true);
    }

    /** Adds an answered request's tokens and cost to its window and period. Blocks on Redis (at most its timeout). */
    public void record(Admission admission, UsageTotals used) {
        CallerKey key = admission.key();
        if (!admission.degraded() && redis.eval(RECORD, 2, space.window(key.id(), admission.window()),
                space.usage(key.id(), admission.periodStart()), "0", Long.toString(used.promptTokens()),
                Long.toString(used.completionTokens()), Long.toString(used.costNanos()),
                WINDOW_TTL, Long.toString(usageTtl(key))).isPresent()) {
            return;
        }
        degraded.enter();
        local.record(key, admission.window(), admission.periodStart(), used);
    }

    /**
     * Called by the key worker every half second: ends an outage once Redis answers again, and writes
     * back what was counted meanwhile (kept, and retried, while Redis refuses it).
     */
    void probeWhenDegraded() {
        if ((degraded.active() || local.hasPending()) && redis.command("PING").isPresent()) {
            local.drain(this::writeBack);
            degraded.leave();
        }
    }

    private boolean writeBack(String id, long periodStart, UsageTotals usage) {
        boolean written = redis.eval(RECORD, 2, space.window(id, 0), space.usage(id, periodStart),
                Long.toString(usage.requests()), Long.toString(usage.promptTokens()),
                Long.toString(usage.completionTokens()), Long.toString(usage.costNanos()), "0",
                Long.toString(USAGE_GRACE_SECONDS * 31)).isPresent();
        if (written) {
            Log.infof("caller-key usage counted during the Redis outage written back for key %s: %d requests", id, usage.requests());
        }
        return written;
    }

    private static long usageTtl(CallerKey key) {
        return key.budgetPeriodSeconds() + USAGE_GRACE_SECONDS;
    }

    private static String limit(Long value) {
        return value == null ? "-1" : value.toString();
    }
}
