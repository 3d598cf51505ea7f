package dev.breakwater.keys;

import dev.breakwater.providers.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-key metrics, labelled with the key's name (never its secret): requests, tokens, cost, refusals by
 * reason, and the budget and its spend in the current period as Redis last reported it (for the
 * 90 %-of-budget alert). Series exist only for keys that were used, so their number is the number of keys.
 */
@Singleton
public class KeyMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicLong> spentNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> budgetNanos = new ConcurrentHashMap<>();

    private final Timer checks;

    public KeyMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Percentiles computed in the gateway: docs/BENCHMARKS.md reads the p50 at concurrency 1 from here.
        this.checks = Timer.builder("breakwater_key_check").description(
                        "What the key check costs a request: the in-memory lookup plus the Lua round trip to Redis")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
    }

    void checked(long nanos) {
        checks.record(nanos, TimeUnit.NANOSECONDS);
    }

    void admitted(Admission admission) {
        CallerKey key = admission.key();
        Counter.builder("breakwater_key_requests").description("Requests admitted per caller key")
                .tag("key", key.name()).register(meters).increment();
        spent(key, admission.spentNanos());
    }

    void limited(CallerKey key, String reason) {
        Counter.builder("breakwater_key_limited").description("Requests refused per caller key, by reason (rpm, tpm, budget, model)")
                .tags("key", key.name(), "reason", reason).register(meters).increment();
    }

    void used(CallerKey key, TokenUsage usage, long costNanos) {
        tokens(key, "prompt").increment(usage.promptTokens());
        tokens(key, "completion").increment(usage.completionTokens());
        if (costNanos > 0) {
            Counter.builder("breakwater_key_cost_usd").description("Spend per caller key, in USD, from the models' prices")
                    .tag("key", key.name()).register(meters).increment(costNanos / 1e9);
            spentNanos.computeIfPresent(key.name(), (n, s) -> {
                s.addAndGet(costNanos);
                return s;
            });
        }
    }

    private Counter tokens(CallerKey key, String type) {
        return Counter.builder("breakwater_key_tokens").description("Tokens used per caller key, from the answers' usage")
                .tags("key", key.name(), "type", type).register(meters);
    }

    private void spent(CallerKey key, long nanos) {
        if (key.budgetUsd() == null) {
            return;
        }
        spentNanos.computeIfAbsent(key.name(), name -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("breakwater_key_spent_usd", holder, h -> h.get() / 1e9)
                    .description("Spend of the caller key in its current budget period (all replicas, as last seen)")
                    .tag("key", name).register(meters);
            return holder;
        }).set(nanos);
        budgetNanos.computeIfAbsent(key.name(), name -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("breakwater_key_budget_usd", holder, h -> h.get() / 1e9)
                    .description("Budget of the caller key per period").tag("key", name).register(meters);
            return holder;
        }).set(key.budgetNanos());
    }
}
