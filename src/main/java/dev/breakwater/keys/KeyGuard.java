package dev.breakwater.keys;

import jakarta.inject.Singleton;

import java.util.List;

/**
 * The check before a request reaches any model: every name it asks for ({@code model} and each
 * {@code fallbacks} entry, or the categorize chain) must be allowed by the key, then its window and
 * budget must have room. An open call (auth mode {@code open}) passes untouched.
 */
@Singleton
public class KeyGuard {

    private final Limiter limiter;
    private final KeyMetrics metrics;

    public KeyGuard(Limiter limiter, KeyMetrics metrics) {
        this.limiter = limiter;
        this.metrics = metrics;
    }

    public void admit(KeyCall call, List<String> modelNames) {
        if (call.key().isEmpty()) {
            return;
        }
        CallerKey key = call.key().get();
        for (String name : modelNames) {
            if (name != null && !key.allows(name)) {
                metrics.limited(key, "model");
                throw new KeyRefusal(403, "model_not_allowed", "model", "the key '" + key.name() + "' may not use '"
                        + abbreviate(name) + "'; it may use " + key.models(), null);
            }
        }
        long start = System.nanoTime();
        Admission admission = limiter.admit(key);
        metrics.checked(call.lookupNanos() + System.nanoTime() - start);
        call.admitted(admission);
        if (!admission.admitted()) {
            metrics.limited(key, admission.verdict().reason());
            throw new KeyRefusal(429, admission.verdict().code(), null, message(key, admission), admission.retryAfterSeconds());
        }
        metrics.admitted(admission);
    }

    private static String message(CallerKey key, Admission a) {
        return switch (a.verdict()) {
            case REQUESTS -> "the key '" + key.name() + "' is over its limit of " + key.rpm() + " requests per minute; retry in "
                    + a.retryAfterSeconds() + " s";
            case TOKENS -> "the key '" + key.name() + "' is over its limit of " + key.tpm() + " tokens per minute; retry in "
                    + a.retryAfterSeconds() + " s";
            case QUOTA -> "the key '" + key.name() + "' has spent its budget of " + key.budgetUsd() + " USD for this period";
            case ADMITTED -> throw new IllegalStateException();
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
