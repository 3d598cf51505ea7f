package dev.breakwater.keys;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.stream.Stream;

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

    /**
     * Refuses a name outside the key (403) before anything else, then counts the request in the key's window
     * and budget (429 when one is full). Non-blocking: resources call it on the event loop and move to the
     * request's virtual thread only once it has passed, so the Redis round trip costs no thread hand-offs of
     * its own. Fails with {@link KeyRefusal}.
     */
    public Uni<Void> admit(KeyCall call, String model, List<String> fallbacks) {
        return admit(call, Stream.concat(Stream.of(model), fallbacks.stream()).toList());
    }

    /** As {@link #admit(KeyCall, String, List)} for every name in {@code modelNames}. */
    public Uni<Void> admit(KeyCall call, List<String> modelNames) {
        if (call.key().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CallerKey key = call.key().get();
        for (String name : modelNames) {
            if (name != null && !key.allows(name)) {
                metrics.limited(key, "model");
                return Uni.createFrom().failure(new KeyRefusal(403, "model_not_allowed", "model", "the key '" + key.name()
                        + "' may not use '" + abbreviate(name) + "'; it may use " + key.models(), null));
            }
        }
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return limiter.admit(key).map(admission -> {
                metrics.checked(call.lookupNanos() + System.nanoTime() - start);
                call.admitted(admission);
                if (!admission.admitted()) {
                    metrics.limited(key, admission.verdict().reason());
                    throw new KeyRefusal(429, admission.verdict().code(), null, message(key, admission), admission.retryAfterSeconds());
                }
                metrics.admitted(admission);
                return null;
            });
        });
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
