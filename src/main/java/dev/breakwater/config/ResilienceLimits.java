package dev.breakwater.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The ranges a service's resilience settings must stay in, wherever they come from (the YAML at
 * start-up and reload, the admin API at runtime). A breaker keeps a window of {@code failure-threshold}
 * outcomes, so a huge threshold is memory, not just a typo; a day-long timeout or more than ten
 * retries of one call are mistakes no deadline should have to absorb.
 */
public final class ResilienceLimits {

    public static final int MAX_THRESHOLD = 1000;
    public static final int MAX_RETRIES = 10;
    public static final double MAX_EXPONENTIAL_BASE = 10;
    public static final Duration MAX_DURATION = Duration.ofHours(24);

    private ResilienceLimits() {
    }

    /** {@code failure-threshold}, {@code success-threshold}. */
    public static Optional<String> threshold(long value) {
        return value < 1 || value > MAX_THRESHOLD
                ? Optional.of("must be between 1 and " + MAX_THRESHOLD + ", got " + value) : Optional.empty();
    }

    public static Optional<String> retries(long value) {
        return value < 0 || value > MAX_RETRIES
                ? Optional.of("must be between 0 and " + MAX_RETRIES + ", got " + value) : Optional.empty();
    }

    public static Optional<String> exponentialBase(double value) {
        return !(value >= 1 && value <= MAX_EXPONENTIAL_BASE)
                ? Optional.of("must be between 1 and " + (int) MAX_EXPONENTIAL_BASE + ", got " + value) : Optional.empty();
    }

    /** Timeouts must be positive; delays and recovery timeouts may be zero. */
    public static Optional<String> duration(Duration value, boolean positive) {
        if (value.isNegative() || (positive && value.isZero())) {
            return Optional.of("must be " + (positive ? "positive" : "zero or more") + ", got " + value.toMillis() + " ms");
        }
        return value.compareTo(MAX_DURATION) > 0
                ? Optional.of("must be at most 24h, got " + describe(value)) : Optional.empty();
    }

    /** A floor above the ceiling would make every back-off the floor, silently. */
    public static Optional<String> delays(Duration minDelay, Duration maxDelay) {
        return minDelay.compareTo(maxDelay) > 0
                ? Optional.of("must not exceed max-delay (" + describe(minDelay) + " > " + describe(maxDelay) + ")")
                : Optional.empty();
    }

    private static String describe(Duration d) {
        return d.toSeconds() >= 3600 ? d.toHours() + "h" : d.toMillis() + " ms";
    }
}
