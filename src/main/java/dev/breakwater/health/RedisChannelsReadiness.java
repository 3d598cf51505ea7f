package dev.breakwater.health;

import dev.breakwater.keys.KeyCache;
import dev.breakwater.resilience.shared.SharedBreakerState;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Where this replica stands on each Redis pub/sub channel in use ({@code breaker} with shared breaker
 * state, {@code keys} with caller keys): {@code joined}, {@code joining} (not yet since start-up) or
 * {@code lost} (re-joining). Always UP: a replica off a channel still answers, with the openings it follows
 * and its last key table, so taking it out of the load balancer would only cost capacity.
 */
@Readiness
@Singleton
public class RedisChannelsReadiness implements HealthCheck {

    private final SharedBreakerState breakers;
    private final KeyCache keys;

    public RedisChannelsReadiness(SharedBreakerState breakers, KeyCache keys) {
        this.breakers = breakers;
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis-channels").up();
        breakers.channelState().ifPresent(state -> response.withData("breaker", state.id()));
        keys.channelState().ifPresent(state -> response.withData("keys", state.id()));
        return response.build();
    }
}
