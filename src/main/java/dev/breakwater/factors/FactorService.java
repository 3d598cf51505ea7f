package dev.breakwater.factors;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Dependencies;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.FallbackServed;
import dev.breakwater.resilience.Failures;
import io.quarkus.logging.Log;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * Emission factors, tier by tier: the upstream broker (cached on success); when it fails or its
 * breaker is open, the cached value of any age; then the YAML defaults table, marked degraded. A
 * 404 from the broker is its answer and ends the lookup.
 */
@Singleton
public class FactorService {

    private final FactorBrokerClient broker;
    private final FactorCache cache;
    private final GatewayConfig config;
    private final Clock clock;
    private final Event<FallbackServed> fallbacks;

    public FactorService(FactorBrokerClient broker, FactorCache cache, GatewayConfig config, Clock clock,
                         Event<FallbackServed> fallbacks) {
        this.fallbacks = fallbacks;
        this.broker = broker;
        this.cache = cache;
        this.config = config;
        this.clock = clock;
    }

    public FactorLookup lookup(String category) {
        Failure failure;
        try {
            Factor factor = Deadline.in(config.requestDeadline()).run(() -> broker.fetch(category));
            cache.put(category, factor);
            return found(category, factor, FactorSource.API, null, null);
        } catch (Exception e) {
            failure = Failures.classify(e);
        }
        if (failure.kind() == FailureKind.NOT_FOUND) {
            return new FactorLookup.Unknown(failure.message());
        }
        String why = "factor broker unavailable (" + failure.message() + ")";
        Log.debugf("factor %s: %s", category, why);
        Optional<CachedFactor> cached = cache.get(category);
        if (cached.isPresent()) {
            fallbacks.fire(new FallbackServed(Dependencies.FACTOR_BROKER, FactorSource.CACHE.id()));
            return found(category, cached.get().factor(), FactorSource.CACHE, why + "; serving the last cached value",
                    cached.get().age(clock.instant()).toSeconds());
        }
        GatewayConfig.FactorDefault fallback = config.factors().defaults().get(category);
        if (fallback != null) {
            fallbacks.fire(new FallbackServed(Dependencies.FACTOR_BROKER, FactorSource.DEFAULT.id()));
            return found(category, new Factor(fallback.factor(), fallback.unit(), fallback.reference().orElse("")), FactorSource.DEFAULT,
                    why + "; nothing cached, serving the configured default", null);
        }
        return new FactorLookup.Unavailable("the emission factor for '" + category + "' is unavailable: " + why
                + "; nothing cached and no default configured under breakwater.factors.defaults");
    }

    private FactorLookup found(String category, Factor factor, FactorSource source, String degradedReason, Long ageSeconds) {
        return new FactorLookup.Found(FactorAnswer.of(category, factor, source, degradedReason, clock.instant(), ageSeconds));
    }
}
