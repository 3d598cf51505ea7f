package dev.breakwater.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * A classified failure of one call. {@code message} is the upstream's own reason, already stripped
 * of anything secret, so it can be shown to callers. {@code param} names the request field the
 * failure is about (OpenAI's {@code error.param}), or is null.
 */
public record Failure(FailureKind kind, int httpStatus, String message, Optional<Duration> retryAfter, String param) {

    public Failure(FailureKind kind, int httpStatus, String message, Optional<Duration> retryAfter) {
        this(kind, httpStatus, message, retryAfter, null);
    }

    public static Failure of(FailureKind kind, String message) {
        return new Failure(kind, 0, message, Optional.empty());
    }
}
