package dev.breakwater.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * A classified failure of one call. {@code message} is the upstream's own reason, already stripped
 * of anything secret, so it can be shown to callers.
 */
public record Failure(FailureKind kind, int httpStatus, String message, Optional<Duration> retryAfter) {

    public static Failure of(FailureKind kind, String message) {
        return new Failure(kind, 0, message, Optional.empty());
    }
}
