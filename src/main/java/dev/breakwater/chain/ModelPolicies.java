package dev.breakwater.chain;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.RetrySettings;

import java.time.Duration;
import java.util.Optional;

/** The resilience policy of one model: the global {@code resilience} block with the model's (or route's) overrides. */
final class ModelPolicies {

    private ModelPolicies() {
    }

    static ResiliencePolicy of(GatewayConfig.Resilience global, Provider provider, Optional<Duration> timeout,
                               Optional<GatewayConfig.CircuitBreakerOverride> breaker,
                               Optional<GatewayConfig.RetryOverride> retry) {
        Duration attemptTimeout = timeout.orElse(provider == Provider.LOCAL
                ? global.timeout().defaultTimeout() : global.timeout().llmApi());
        // The local model is deterministic and in-process: retrying it cannot change its answer.
        RetrySettings retries = provider == Provider.LOCAL ? RetrySettings.NONE : RetrySettings.of(global.retry()).with(retry);
        return new ResiliencePolicy(BreakerSettings.of(global.circuitBreaker()).with(breaker), retries, attemptTimeout);
    }
}
