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
 * Request-level metrics of every {@code /v1} request that walked a chain ({@link RequestRecord}:
 * categorize, chat, embeddings): latency (histogram buckets, so any percentile can be computed per
 * endpoint and answering model), attempts, answers by source, tokens; and, from categorization's
 * {@link AnswerServed}, cache hits and the seed's {@code circuit_breaker_fallback_usage}.
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
        safely(() -> {
            cacheLookups(served.cacheHit()).increment();
            if (!served.cacheHit()) {
                String answeredBy = answeredBy(served.answer());
                primary(served).filter(p -> !p.equals(answeredBy)).ifPresent(p ->
                        BreakerMetrics.fallbackUsage(meters, p, served.answer().source().id()).increment());
            }
        });
    }

    /** Every {@code /v1} request that reached a chain (categorize, chat, embeddings), answered or not. */
    void onRequest(@Observes RequestRecord request) {
        request.outcome().ifPresent(outcome -> safely(() -> record(request, outcome)));
    }

    private void record(RequestRecord request, RequestOutcome outcome) {
        String answeredBy = outcome.modelAnswered() != null ? outcome.modelAnswered() : outcome.source();
        Timer.builder("breakwater_request_duration").description("Request latency by endpoint and answering model")
                .tags("endpoint", request.endpoint(), "model", answeredBy, "source", outcome.source())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(meters).record(request.latency());
        DistributionSummary.builder("breakwater_request_attempts").description("Model tries per request")
                .tag("endpoint", request.endpoint()).serviceLevelObjectives(ATTEMPT_BUCKETS)
                .register(meters).record(outcome.attempts().size());
        Counter.builder("breakwater_answers").description("Answers by source and degradation")
                .tags("endpoint", request.endpoint(), "source", outcome.source(),
                        "degraded", Boolean.toString(outcome.degraded()))
                .register(meters).increment();
        outcome.tokens().forEach((model, usage) -> {
            tokens(model, "prompt").increment(usage.promptTokens());
            tokens(model, "completion").increment(usage.completionTokens());
        });
    }

    /** The answer is already computed: a metrics bug must not turn it into a 500. */
    private static void safely(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            Log.warnf("metrics not recorded: %s", e.toString());
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
