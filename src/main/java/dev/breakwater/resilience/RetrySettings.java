package dev.breakwater.resilience;

import dev.breakwater.config.GatewayConfig;

import java.time.Duration;
import java.util.Optional;

/** Resolved retry settings of one service. */
public record RetrySettings(int maxRetries, Duration baseDelay, Duration maxDelay, double exponentialBase, Duration minDelay) {

    public static final RetrySettings NONE = new RetrySettings(0, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO);

    public static RetrySettings of(GatewayConfig.Retry global) {
        return new RetrySettings(global.maxRetries(), global.baseDelay(), global.maxDelay(), global.exponentialBase(), global.minDelay());
    }

    public RetrySettings with(Optional<GatewayConfig.RetryOverride> override) {
        return override.map(o -> new RetrySettings(
                o.maxRetries().orElse(maxRetries),
                o.baseDelay().orElse(baseDelay),
                o.maxDelay().orElse(maxDelay),
                o.exponentialBase().orElse(exponentialBase),
                o.minDelay().orElse(minDelay))).orElse(this);
    }
}
