package dev.breakwater.resilience;

import dev.breakwater.config.GatewayConfig;

import java.time.Duration;
import java.util.Optional;

/** Resolved circuit-breaker settings of one service. */
public record BreakerSettings(int failureThreshold, Duration recoveryTimeout, int successThreshold) {

    public static BreakerSettings of(GatewayConfig.CircuitBreaker global) {
        return new BreakerSettings(global.failureThreshold(), global.recoveryTimeout(), global.successThreshold());
    }

    public BreakerSettings with(Optional<GatewayConfig.CircuitBreakerOverride> override) {
        return override.map(o -> new BreakerSettings(
                o.failureThreshold().orElse(failureThreshold),
                o.recoveryTimeout().orElse(recoveryTimeout),
                o.successThreshold().orElse(successThreshold))).orElse(this);
    }
}
