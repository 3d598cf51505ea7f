package dev.breakwater.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** One clock for every timestamp the gateway reports, replaceable in tests and shiftable by {@code clock-offset}. */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock(GatewayConfig config) {
        return config.clockOffset().isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), config.clockOffset());
    }
}
