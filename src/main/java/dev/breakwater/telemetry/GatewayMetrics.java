package dev.breakwater.telemetry;

import dev.breakwater.categorize.AnswerServed;
import dev.breakwater.categorize.Categorization;
import dev.breakwater.categorize.Source;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.resilience.BreakerRemoved;
import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<Series, RequestMeters> requestMeters = new ConcurrentHashMap<>();
    private final Map<String, TokenMeters> tokenMeters = new ConcurrentHashMap<>();

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
        RequestMeters m = requestMeters.computeIfAbsent(new Series(request.endpoint(), answeredBy, outcome.source(), outcome.degraded()),
                this::requestMeters);
        m.duration().record(request.latency());
        m.attempts().record(outcome.attempts().size());
        m.answers().increment();
        outcome.tokens().forEach((model, usage) -> {
            TokenMeters t = tokenMeters.computeIfAbsent(model, this::tokenMeters);
            t.prompt().increment(usage.promptTokens());
            t.completion().increment(usage.completionTokens());
        });
    }

    /**
     * A forgotten model (a routed id evicted from its bounded table, a model dropped by a reload) takes its
     * request series with it, as {@link BreakerMetrics} does for its breaker series: otherwise a caller naming
     * ever new ids through a route would add a histogram per id for good.
     */
    void onRemoved(@Observes BreakerRemoved removed) {
        String model = removed.service();
        requestMeters.keySet().removeIf(series -> series.model().equals(model));
        tokenMeters.remove(model);
        meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("breakwater_request_duration")
                        || m.getId().getName().startsWith("breakwater_tokens"))
                .filter(m -> model.equals(m.getId().getTag("model")))
                .forEach(meters::remove);
    }

    /** Building a meter's id (tags sorted, looked up in the registry) costs more than recording: done once per series. */
    private RequestMeters requestMeters(Series s) {
        return new RequestMeters(
                Timer.builder("breakwater_request_duration").description("Request latency by endpoint and answering model")
                        .tags("endpoint", s.endpoint(), "model", s.model(), "source", s.source())
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(120))
                        .register(meters),
                DistributionSummary.builder("breakwater_request_attempts").description("Model tries per request")
                        .tag("endpoint", s.endpoint()).serviceLevelObjectives(ATTEMPT_BUCKETS)
                        .register(meters),
                Counter.builder("breakwater_answers").description("Answers by source and degradation")
                        .tags("endpoint", s.endpoint(), "source", s.source(), "degraded", Boolean.toString(s.degraded()))
                        .register(meters));
    }

    private TokenMeters tokenMeters(String model) {
        return new TokenMeters(tokens(model, "prompt"), tokens(model, "completion"));
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

    private record Series(String endpoint, String model, String source, boolean degraded) {
    }

    private record RequestMeters(Timer duration, DistributionSummary attempts, Counter answers) {
    }

    private record TokenMeters(Counter prompt, Counter completion) {
    }
}
