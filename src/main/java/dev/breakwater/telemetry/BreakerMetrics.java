package dev.breakwater.telemetry;

import dev.breakwater.resilience.BreakerCall;
import dev.breakwater.resilience.BreakerRegistered;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerRemoved;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.resilience.FallbackServed;
import dev.breakwater.resilience.ResilientClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The seed's circuit-breaker metric families, labelled {@code service}. Counters are driven by the
 * registry's events rather than read from the clients' stats, because a breaker rebuilt with new
 * settings starts its stats at zero and a Prometheus counter must never go back. All eight families
 * exist for a breaker from its registration (start-up, or the reload that added its model), every
 * transition pair and fallback at 0, so panels show 0 rather than "No data" and rate() alerts have
 * something to evaluate.
 */
@Singleton
public class BreakerMetrics {

    private static final Duration[] RECOVERY_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1)};

    /** Every state change a breaker can make: the automatic cycle, and resets (or a peer's recovery) from open or half-open. */
    private static final List<List<BreakerState>> TRANSITIONS = List.of(
            List.of(BreakerState.CLOSED, BreakerState.OPEN), List.of(BreakerState.OPEN, BreakerState.HALF_OPEN),
            List.of(BreakerState.HALF_OPEN, BreakerState.CLOSED), List.of(BreakerState.HALF_OPEN, BreakerState.OPEN),
            List.of(BreakerState.OPEN, BreakerState.CLOSED));

    /** What can answer instead of a service: the answer sources other than a fresh cache hit (see {@link GatewayMetrics}). */
    static final List<String> FALLBACKS = List.of("llm", "local", "cache", "default");

    private final MeterRegistry meters;
    private final BreakerRegistry breakers;
    /** Start of each service's current outage: the first opening, kept through half-open probes that fail. */
    private final Map<String, Instant> openSince = new ConcurrentHashMap<>();

    public BreakerMetrics(MeterRegistry meters, BreakerRegistry breakers) {
        this.meters = meters;
        this.breakers = breakers;
    }

    void onRegistered(@Observes BreakerRegistered registered) {
        String service = registered.service();
        gauge("circuit_breaker_state", "Breaker state: 0 closed, 1 open, 2 half-open", service,
                c -> c.reportedState().code());
        gauge("circuit_breaker_failure_rate", "Failed calls / calls since the breaker was (re)built", service,
                c -> c.stats().failureRate());
        failures(service);
        blocked(service);
        recoveries(service);
        recoveryTime(service);
        TRANSITIONS.forEach(pair -> transitions(service, pair.get(0), pair.get(1)));
        FALLBACKS.forEach(fallback -> fallbackUsage(meters, service, fallback));
    }

    /** Every series of the service goes: a forgotten routed id must not keep thousands of lines in /q/metrics. */
    void onRemoved(@Observes BreakerRemoved removed) {
        String service = removed.service();
        openSince.remove(service);
        meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("circuit_breaker_"))
                .filter(m -> service.equals(m.getId().getTag("service")) || service.equals(m.getId().getTag("fallback")))
                .forEach(meters::remove);
    }

    void onTransition(@Observes BreakerTransition t) {
        if (breakers.find(t.service()).isEmpty()) {
            return; // a late event of a removed service would bring its series back
        }
        transitions(t.service(), t.from(), t.to()).increment();
        if (t.to() == BreakerState.OPEN) {
            openSince.putIfAbsent(t.service(), t.at());
        } else if (t.to() == BreakerState.CLOSED) {
            Instant since = openSince.remove(t.service());
            // A reset closes the breaker without proving the service healthy: not a recovery.
            if (since != null && !t.manual()) {
                recoveries(t.service()).increment();
                recoveryTime(t.service()).record(Duration.between(since, t.at()));
            }
        }
    }

    void onFallback(@Observes FallbackServed served) {
        if (breakers.find(served.service()).isEmpty()) {
            return;
        }
        fallbackUsage(meters, served.service(), served.fallback()).increment();
    }

    void onCall(@Observes BreakerCall call) {
        if (breakers.find(call.service()).isEmpty()) {
            return;
        }
        (call.outcome() == BreakerCall.Outcome.FAILED ? failures(call.service()) : blocked(call.service())).increment();
    }

    private void gauge(String name, String help, String service, ToDoubleFunction<ResilientClient> value) {
        Gauge.builder(name, () -> breakers.find(service).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tag("service", service).strongReference(true).register(meters);
    }

    private Counter transitions(String service, BreakerState from, BreakerState to) {
        return Counter.builder("circuit_breaker_transitions").description("Breaker state changes, resets included")
                .tags("service", service, "from", from.id(), "to", to.id()).register(meters);
    }

    /** Answers served by {@code fallback} (an answer source) because {@code service} could not answer. */
    static Counter fallbackUsage(MeterRegistry meters, String service, String fallback) {
        return Counter.builder("circuit_breaker_fallback_usage")
                .description("Answers served by a fallback because the service could not answer")
                .tags("service", service, "fallback", fallback).register(meters);
    }

    private Counter failures(String service) {
        return Counter.builder("circuit_breaker_failures").description("Calls that counted against the breaker")
                .tag("service", service).register(meters);
    }

    private Counter blocked(String service) {
        return Counter.builder("circuit_breaker_requests_blocked").description("Calls refused by an open breaker")
                .tag("service", service).register(meters);
    }

    private Counter recoveries(String service) {
        return Counter.builder("circuit_breaker_recoveries").description("Breakers closed again by a successful probe")
                .tag("service", service).register(meters);
    }

    private Timer recoveryTime(String service) {
        return Timer.builder("circuit_breaker_recovery_time").description("Time from opening to closing again")
                .tag("service", service).serviceLevelObjectives(RECOVERY_BUCKETS).register(meters);
    }
}
