package dev.breakwater.keys;

import java.security.Principal;
import java.util.Optional;

/**
 * One request's caller (a key, or nobody in {@code open} mode) and what the request used: the limit
 * check it passed, for the {@code x-ratelimit-*} headers, and its cost. Set by the auth filter as the
 * request's principal, filled in by {@link KeyGuard} and {@link KeyUsage}, read by the response filter.
 */
public final class KeyCall implements Principal {

    private final CallerKey key;
    private final long lookupNanos;
    private volatile Admission admission;
    private long costNanos;
    private boolean costUnknown;

    private KeyCall(CallerKey key, long lookupNanos) {
        this.key = key;
        this.lookupNanos = lookupNanos;
    }

    public static KeyCall open() {
        return new KeyCall(null, 0);
    }

    /** @param lookupNanos what finding the key cost, counted into the key check's timer */
    public static KeyCall of(CallerKey key, long lookupNanos) {
        return new KeyCall(key, lookupNanos);
    }

    long lookupNanos() {
        return lookupNanos;
    }

    /** The request's call as the auth filter left it; a request it did not see is an open call. */
    public static KeyCall from(Principal principal) {
        return principal instanceof KeyCall call ? call : open();
    }

    public Optional<CallerKey> key() {
        return Optional.ofNullable(key);
    }

    /** The key's name (what metrics and logs show), never its secret. */
    @Override
    public String getName() {
        return key == null ? "anonymous" : key.name();
    }

    public Optional<Admission> admission() {
        return Optional.ofNullable(admission);
    }

    void admitted(Admission admission) {
        this.admission = admission;
    }

    synchronized void cost(java.util.OptionalLong nanos) {
        if (nanos.isPresent()) {
            costNanos += nanos.getAsLong();
        } else {
            costUnknown = true;
        }
    }

    /** What the answer cost in USD; empty when a model that answered has no price. Nothing answered: 0. */
    public synchronized Optional<Double> costUsd() {
        return costUnknown ? Optional.empty() : Optional.of(costNanos / 1e9);
    }
}
