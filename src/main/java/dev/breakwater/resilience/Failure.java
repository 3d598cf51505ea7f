package dev.breakwater.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * A classified failure of one call. {@code message} is the upstream's own reason, already stripped
 * of anything secret, so it can be shown to callers; {@code upstreamError} is the rest of the
 * upstream's error object when it sent one (relayed to the caller for a {@link FailureKind#CALLER_ERROR}).
 */
public record Failure(FailureKind kind, int httpStatus, String message, Optional<Duration> retryAfter,
                      UpstreamError upstreamError) {

    public Failure(FailureKind kind, int httpStatus, String message, Optional<Duration> retryAfter) {
        this(kind, httpStatus, message, retryAfter, null);
    }

    public static Failure of(FailureKind kind, String message) {
        return new Failure(kind, 0, message, Optional.empty());
    }

    /** An upstream's OpenAI-style error fields beside its message, already redacted; each may be null. */
    public record UpstreamError(String type, String param, String code) {
    }
}
