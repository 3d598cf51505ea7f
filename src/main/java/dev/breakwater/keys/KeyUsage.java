package dev.breakwater.keys;

import dev.breakwater.providers.TokenUsage;
import jakarta.inject.Singleton;

import java.util.OptionalLong;

/**
 * After the answer: what each model that replied used, priced, added to the call's cost and, for a
 * keyed call, to the key's window (tpm), budget and usage.
 */
@Singleton
public class KeyUsage {

    private final Prices prices;
    private final Limiter limiter;
    private final KeyMetrics metrics;

    public KeyUsage(Prices prices, Limiter limiter, KeyMetrics metrics) {
        this.prices = prices;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    public void record(KeyCall call, String model, TokenUsage usage) {
        OptionalLong cost = prices.costNanos(model, usage);
        call.cost(cost);
        call.admission().filter(Admission::admitted).ifPresent(admission -> {
            long nanos = cost.orElse(0);
            limiter.record(admission, new UsageTotals(0, usage.promptTokens(), usage.completionTokens(), nanos));
            metrics.used(admission.key(), usage, nanos);
        });
    }
}
