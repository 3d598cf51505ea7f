package dev.breakwater.keys;

/**
 * What a limit check saw, for the answer's {@code x-ratelimit-*} headers and a refusal's
 * {@code Retry-After}. {@code requests} counts this request when admitted; null limits are unlimited.
 * {@code degraded}: decided by this replica alone because Redis was away.
 */
public record Admission(Verdict verdict, CallerKey key, long window, long periodStart, long requests, long tokens,
                        long spentNanos, long resetMillis, long periodResetMillis, boolean degraded) {

    public boolean admitted() {
        return verdict == Verdict.ADMITTED;
    }

    public Long remainingRequests() {
        return key.rpm() == null ? null : Math.max(0, key.rpm() - requests);
    }

    public Long remainingTokens() {
        return key.tpm() == null ? null : Math.max(0, key.tpm() - tokens);
    }

    /** Whole seconds to the next rate window. */
    public long retryAfterSecondsOfWindow() {
        return Math.max(1, (resetMillis + 999) / 1000);
    }

    /** Whole seconds a refused caller should wait: to the next window, or to the next budget period. */
    public long retryAfterSeconds() {
        return verdict == Verdict.QUOTA ? Math.max(1, (periodResetMillis + 999) / 1000) : retryAfterSecondsOfWindow();
    }
}
