package dev.breakwater.warmup;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import jakarta.inject.Singleton;

/**
 * Not ready until the warm-up is over, so a load balancer sends callers to a replica only once its
 * request path is compiled. With the warm-up off the check is up from the start.
 */
@Readiness
@Singleton
public class WarmUpReadiness implements HealthCheck {

    private final WarmUpState state;

    public WarmUpReadiness(WarmUpState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("warm-up")
                .withData("phase", state.phase().name().toLowerCase())
                .withData("answered", state.answered())
                .withData("failed", state.failed())
                .status(state.phase() == WarmUpState.Phase.DONE)
                .build();
    }
}
