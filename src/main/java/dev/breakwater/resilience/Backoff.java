package dev.breakwater.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Delay before retry number {@code n} (0-based): full jitter over an exponentially growing,
 * capped window, with a floor so that a random draw near zero cannot hammer the upstream.
 * A {@code Retry-After} the upstream asked for wins when it fits under the cap.
 */
public final class Backoff {

    private final RetrySettings settings;
    private final DoubleSupplier random;

    public Backoff(RetrySettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /** Upper bound of the jitter window for retry {@code n}: min(max-delay, base * exponential-base^n). */
    public long windowMillis(int n) {
        double window = settings.baseDelay().toMillis() * Math.pow(settings.exponentialBase(), n);
        return (long) Math.min(settings.maxDelay().toMillis(), window);
    }

    public long delayMillis(int n, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().toMillis();
        }
        long jittered = (long) (random.getAsDouble() * windowMillis(n));
        return Math.min(settings.maxDelay().toMillis(), Math.max(settings.minDelay().toMillis(), jittered));
    }

    /** The least this back-off can wait before the next retry. */
    public long shortestWaitMillis(Optional<Duration> retryAfter) {
        return retryAfter.map(Duration::toMillis).orElse(settings.minDelay().toMillis());
    }

    /** A Retry-After longer than the cap means "not worth waiting here": move to the next model. */
    public boolean fits(Optional<Duration> retryAfter) {
        return retryAfter.map(d -> d.compareTo(settings.maxDelay()) <= 0).orElse(true);
    }
}
