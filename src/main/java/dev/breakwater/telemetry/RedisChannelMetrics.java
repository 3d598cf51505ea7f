package dev.breakwater.telemetry;

import dev.breakwater.keys.KeyCache;
import dev.breakwater.resilience.shared.ChannelMembership;
import dev.breakwater.resilience.shared.SharedBreakerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code breakwater_redis_channel_joined{channel}}: 1 while this replica hears a Redis pub/sub channel,
 * 0 while it joins or re-joins it; a series only for the channels in use ({@code breaker} with shared
 * breaker state, {@code keys} with caller keys).
 */
@Startup
@Singleton
public class RedisChannelMetrics {

    public RedisChannelMetrics(MeterRegistry meters, SharedBreakerState breakers, KeyCache keys) {
        register(meters, "breaker", breakers::channelState);
        register(meters, "keys", keys::channelState);
    }

    private static void register(MeterRegistry meters, String channel, Supplier<Optional<ChannelMembership.State>> state) {
        if (state.get().isPresent()) {
            Gauge.builder("breakwater.redis.channel.joined",
                            () -> state.get().filter(s -> s == ChannelMembership.State.JOINED).isPresent() ? 1 : 0)
                    .description("1 while this replica hears the Redis pub/sub channel, 0 while it joins or re-joins it")
                    .tag("channel", channel)
                    .register(meters);
        }
    }
}
