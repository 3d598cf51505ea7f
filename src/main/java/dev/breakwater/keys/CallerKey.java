package dev.breakwater.keys;

import java.time.Duration;
import java.util.List;

/**
 * A caller key as every replica knows it: its settings and the SHA-256 of its secret, never the secret.
 * Stored as JSON in Redis ({@code {prefix}:keys}, field = id); keys declared in YAML ({@code declared})
 * live in the configuration only. Null limits are unlimited.
 */
public record CallerKey(String id, String name, String hash, List<String> models, Long rpm, Long tpm,
                        Double budgetUsd, long budgetPeriodSeconds, long createdAtMillis, boolean declared) {

    public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);

    public CallerKey {
        models = models == null || models.isEmpty() ? List.of("*") : List.copyOf(models);
        budgetPeriodSeconds = budgetPeriodSeconds > 0 ? budgetPeriodSeconds : DEFAULT_PERIOD.toSeconds();
    }

    /**
     * Whether a request may name {@code model}: the patterns use the route syntax ({@code *} is every
     * name, {@code openai/*} every name after that prefix, anything else the exact name of a chain or model).
     */
    public boolean allows(String model) {
        for (String pattern : models) {
            if (pattern.equals(model) || pattern.equals("*")
                    || (pattern.endsWith("*") && model.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Start of the budget period holding {@code nowMillis}. Periods follow each other from the key's
     * creation, so every replica computes the same period without talking to the others.
     */
    public long periodStart(long nowMillis) {
        long period = budgetPeriodSeconds * 1000;
        long since = Math.max(0, nowMillis - createdAtMillis);
        return createdAtMillis + since / period * period;
    }

    /** The budget in nano-USD (counters stay integers), or -1 when unlimited. */
    public long budgetNanos() {
        return budgetUsd == null ? -1 : Math.round(budgetUsd * 1e9);
    }

    public CallerKey with(List<String> models, Long rpm, Long tpm, Double budgetUsd, long budgetPeriodSeconds) {
        return new CallerKey(id, name, hash, models, rpm, tpm, budgetUsd, budgetPeriodSeconds, createdAtMillis, declared);
    }
}
