package dev.breakwater.resilience;

import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** Breaker states with the numeric codes the metrics use (0 closed, 1 open, 2 half-open). */
public enum BreakerState {
    CLOSED(0), OPEN(1), HALF_OPEN(2);

    private final int code;

    BreakerState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String id() {
        return name().toLowerCase();
    }

    static BreakerState of(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> CLOSED;
            case OPEN -> OPEN;
            case HALF_OPEN -> HALF_OPEN;
        };
    }
}
