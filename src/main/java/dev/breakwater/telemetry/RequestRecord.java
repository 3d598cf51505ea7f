package dev.breakwater.telemetry;

import java.time.Duration;
import java.util.Optional;

/**
 * One finished {@code /v1} request: published once, for the request log line, the request metrics
 * and {@code /status}. Carries no message content and no key. {@code outcome} is empty when the
 * request never reached a chain (refused as invalid, or not a model endpoint).
 */
public record RequestRecord(String requestId, String endpoint, String modelAsked, int status, Duration latency,
                            Optional<RequestOutcome> outcome) {
}
