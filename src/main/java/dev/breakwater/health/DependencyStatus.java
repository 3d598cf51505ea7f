package dev.breakwater.health;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One dependency as {@code /health/dependencies} shows it. {@code status}: {@code up}, {@code down},
 * {@code not_configured} (no API key), {@code disabled}; {@code breaker} is its breaker's state.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DependencyStatus(String name, String kind, String status, String target, Long latencyMs,
                               String breaker, String detail) {

    static final String UP = "up";
    static final String DOWN = "down";

    public boolean down() {
        return DOWN.equals(status);
    }
}
