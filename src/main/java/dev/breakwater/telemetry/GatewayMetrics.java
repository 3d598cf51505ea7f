package dev.breakwater.telemetry;

import dev.breakwater.categorize.AnswerServed;
import dev.breakwater.categorize.Categorization;
import dev.breakwater.categorize.Source;
import dev.breakwater.chain.ModelEndpoint;
import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * Request-level metrics from {@link AnswerServed}: latency (histogram buckets, so any percentile can
 * be computed per endpoint and answering model), attempts, answers by source, cache hits, tokens, and
 * the seed's {@code circuit_breaker_fallback_usage}.
 *
 * <p>A fallback activation is an answer that did not come from the chain's primary model (its first
 * model, configured or not) although the chain was consulted: a later cloud model, the local model, a
 * stale cache entry or the default category. A chain whose cloud models have no API key is answered by
 * its local model: a fallback too, which is what it is to the caller (degraded). Fresh cache hits are
 * the normal path and do not count. The counter is labelled with the primary ({@code service}) and with
 * the source of the answer served instead ({@code fallback}: {@code llm}, {@code local}, {@code cache},
 * {@code default}), so its series are known, and exist, before the first fallback.
 */
@Startup
@Singleton
public class GatewayMetrics {

    private static final double[] ATTEMPT_BUCKETS = {1, 2, 3, 4, 6, 8, 12};

    private final MeterRegistry meters;

    public GatewayMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Both series exist from the start, so the hit ratio is 0 rather than "no data" before the first hit.
        cacheLookups(true);
        cacheLookups(false);
    }

    void onAnswer(@Observes AnswerServed served) {
        try {
            record(served);
        } catch (RuntimeException e) {
            // The answer is already computed: a metrics bug must not turn it into a 500.
            Log.warnf("metrics not recorded: %s", e.toString());
        }
    }

    private void record(AnswerServed served) {
        Categorization answer = served.answer();
        String answeredBy = answeredBy(answer);
        Timer.builder("breakwater_request_duration").description("Request latency by endpoint and answering model")
                .tags("endpoint", served.endpoint(), "model", answeredBy, "source", answer.source().id())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(meters).record(served.latency());
        DistributionSummary.builder("breakwater_request_attempts").description("Model tries per request")
                .tag("endpoint", served.endpoint()).serviceLevelObjectives(ATTEMPT_BUCKETS)
                .register(meters).record(answer.attempts().size());
        Counter.builder("breakwater_answers").description("Answers by source and degradation")
                .tags("endpoint", served.endpoint(), "source", answer.source().id(),
                        "degraded", Boolean.toString(answer.degraded()))
                .register(meters).increment();
        cacheLookups(served.cacheHit()).increment();
        served.tokens().forEach((model, usage) -> {
            tokens(model, "prompt").increment(usage.promptTokens());
            tokens(model, "completion").increment(usage.completionTokens());
        });
        if (!served.cacheHit()) {
            primary(served).filter(p -> !p.equals(answeredBy)).ifPresent(p ->
                    BreakerMetrics.fallbackUsage(meters, p, answer.source().id()).increment());
        }
    }

    /** The model for model answers; otherwise the tier ({@code cache}, {@code default}). */
    private static String answeredBy(Categorization answer) {
        return answer.source() == Source.LLM || answer.source() == Source.LOCAL ? answer.model() : answer.source().id();
    }

    private static Optional<String> primary(AnswerServed served) {
        return served.chain().models().stream().map(ModelEndpoint::name).findFirst();
    }

    private Counter cacheLookups(boolean hit) {
        return Counter.builder("breakwater_cache_lookups").description("Answer cache lookups: fresh hit or miss")
                .tag("result", hit ? "hit" : "miss").register(meters);
    }

    private Counter tokens(String model, String type) {
        return Counter.builder("breakwater_tokens").description("Tokens billed by each model")
                .tags("model", model, "type", type).register(meters);
    }
}
