package dev.breakwater.chain;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.breakwater.resilience.FailureKind;

/** What happened to one try of one model, as reported to callers. */
public enum AttemptOutcome {
    OK, ERROR, TIMEOUT, REJECTED_BY_QUALITY, SKIPPED_OPEN_CIRCUIT, SKIPPED_NOT_CONFIGURED,
    CONTEXT_LENGTH_EXCEEDED, CONTENT_POLICY, DEADLINE_EXCEEDED, CALLER_ERROR, CANCELLED, UNSUPPORTED_FIELD;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    static AttemptOutcome of(FailureKind kind) {
        return switch (kind) {
            case TIMEOUT -> TIMEOUT;
            case BAD_ANSWER -> REJECTED_BY_QUALITY;
            case OPEN_CIRCUIT -> SKIPPED_OPEN_CIRCUIT;
            case CONTEXT_LENGTH -> CONTEXT_LENGTH_EXCEEDED;
            case CONTENT_POLICY -> CONTENT_POLICY;
            case DEADLINE -> DEADLINE_EXCEEDED;
            case CALLER_ERROR -> CALLER_ERROR;
            case CANCELLED -> CANCELLED;
            case UNSUPPORTED_FIELD -> UNSUPPORTED_FIELD;
            // Model adapters report a 404 as MISCONFIGURED; NOT_FOUND only reaches a chain by mistake.
            case TRANSIENT, MISCONFIGURED, NOT_FOUND, ERROR -> ERROR;
        };
    }
}
