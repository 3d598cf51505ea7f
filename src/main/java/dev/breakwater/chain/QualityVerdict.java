package dev.breakwater.chain;

import dev.breakwater.resilience.FailureKind;

/** A quality check's decision; a rejection says what kind of failure it is, and so whether breakers count it. */
public record QualityVerdict(boolean accepted, String reason, FailureKind kind) {

    public static QualityVerdict accept() {
        return new QualityVerdict(true, null, null);
    }

    /** The answer shows a broken model (malformed, off-taxonomy): counts against its breaker. */
    public static QualityVerdict reject(String reason) {
        return new QualityVerdict(false, reason, FailureKind.BAD_ANSWER);
    }

    /** A sound answer the model was not sure of: try the next model, but hold nothing against this one. */
    public static QualityVerdict lowConfidence(String reason) {
        return new QualityVerdict(false, reason, FailureKind.LOW_CONFIDENCE);
    }
}
