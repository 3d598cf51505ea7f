package dev.breakwater.keys;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether limits are decided per replica because Redis is away: the {@code breakwater_limits_degraded}
 * gauge, one WARN when an episode starts and one INFO when it ends.
 */
@Singleton
public class LimitsDegraded {

    private final AtomicBoolean degraded = new AtomicBoolean();

    public LimitsDegraded(MeterRegistry registry) {
        Gauge.builder("breakwater_limits_degraded", degraded, d -> d.get() ? 1 : 0)
                .description("1 while caller-key limits and budgets are enforced per replica because Redis is away")
                .register(registry);
    }

    public boolean active() {
        return degraded.get();
    }

    void enter() {
        if (degraded.compareAndSet(false, true)) {
            Log.warn("caller-key limits degraded: Redis is away, so each replica enforces rpm, tpm and budgets on its own "
                    + "and keeps known keys from its cache; usage is counted locally and written to Redis when it is back");
        }
    }

    /** True for the call that ends the episode. */
    boolean leave() {
        if (degraded.compareAndSet(true, false)) {
            Log.info("caller-key limits shared again: Redis is back");
            return true;
        }
        return false;
    }
}
