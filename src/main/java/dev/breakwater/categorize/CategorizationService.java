package dev.breakwater.categorize;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.cache.AnswerCache;
import dev.breakwater.cache.CacheKey;
import dev.breakwater.cache.CachedAnswer;
import dev.breakwater.chain.Attempt;
import dev.breakwater.chain.AttemptOutcome;
import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyUsage;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.taxonomy.Category;
import dev.breakwater.taxonomy.Taxonomy;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Categorization, tier by tier: a fresh cached answer; the model chain; when every model fails, a
 * cached answer of any age; then the taxonomy's default category. Only answers from cloud models are
 * cached: a local answer is cheap to recompute and must not come back later looking fresh.
 * Every answer is published as {@link AnswerServed} for metrics.
 */
@Singleton
public class CategorizationService {

    private final ChainRegistry chains;
    private final FallbackManager fallback;
    private final AnswerCache cache;
    private final GatewayConfig config;
    private final Event<AnswerServed> served;
    private final KeyUsage usage;
    private final ObjectMapper json;

    public CategorizationService(ChainRegistry chains, FallbackManager fallback, AnswerCache cache, GatewayConfig config,
                                 Event<AnswerServed> served, KeyUsage usage, ObjectMapper json) {
        this.usage = usage;
        this.json = json;
        this.chains = chains;
        this.fallback = fallback;
        this.cache = cache;
        this.config = config;
        this.served = served;
    }

    /** The answer, with what the request log and metrics report about it; every model that replied is priced and its usage counted against the caller's key. */
    public AnswerServed categorize(Taxonomy taxonomy, String text, KeyCall call) {
        long start = System.nanoTime();
        // Taken once: a reload during this request must not change the chain it walks.
        ModelChain chain = chains.chain(config.categorize().chain()).orElseThrow();
        Map<String, TokenUsage> tokens = new ConcurrentHashMap<>();
        Categorization priced = categorize(taxonomy, text, chain, tokens, start);
        tokens.forEach((model, used) -> usage.record(call, model, used));
        Categorization answer = priced.withCostUsd(call.costUsd().orElse(null));
        AnswerServed answerServed = new AnswerServed("categorize", chain, answer, Duration.ofNanos(System.nanoTime() - start), tokens);
        served.fire(answerServed);
        return answerServed;
    }

    /**
     * The categorization prompt is the gateway's own, never the caller's: an upstream calling it
     * invalid is this gateway's misconfiguration (counted, the chain moves on), not a caller error.
     */
    private static ModelReply ask(ModelEndpoint model, ChatPrompt prompt) {
        try {
            return model.client().chat(prompt);
        } catch (ClassifiedException e) {
            Failure f = e.failure();
            if (f.kind() != FailureKind.CALLER_ERROR) {
                throw e;
            }
            throw new ClassifiedException(new Failure(FailureKind.MISCONFIGURED, f.httpStatus(), f.message(), f.retryAfter(),
                    f.upstreamError()), e);
        }
    }

    private Categorization categorize(Taxonomy taxonomy, String text, ModelChain chain, Map<String, TokenUsage> tokens,
                                      long start) {
        String key = CacheKey.of(taxonomy.id(), text, chain.fingerprint());

        Optional<CachedAnswer> cached = cache.get(key);
        if (cached.isPresent() && cache.isFresh(cached.get()) && taxonomy.contains(cached.get().category())) {
            return fromCache(cached.get(), taxonomy, List.of(), false, null, start);
        }

        var prompt = CategorizationPrompt.build(taxonomy, text);
        FallbackResult<CategoryAnswer> result = Deadline.in(config.requestDeadline()).run(() ->
                fallback.executeWithFallback(chain, model -> {
                            ModelReply reply = ask(model, prompt);
                            tokens.merge(model.name(), reply.usage(), TokenUsage::plus);
                            return AnswerParser.parse(json, reply.content());
                        },
                        new CategorizationQualityCheck(taxonomy), chain.minQuality()));

        if (result.success()) {
            CategoryAnswer answer = result.response();
            Category category = taxonomy.find(answer.category()).orElseThrow();
            boolean cloud = result.answeredBy().provider().isCloud();
            if (cloud) {
                cache.put(key, cache.stamp(category.id(), category.label(), answer.confidence(),
                        result.answeredBy().name(), result.answeredBy().provider().id()));
            }
            return new Categorization(category.id(), category.label(), answer.confidence(), taxonomy.id(),
                    result.answeredBy().name(), result.answeredBy().provider().id(),
                    cloud ? Source.LLM : Source.LOCAL, !cloud,
                    cloud ? null : "no cloud model answered; the local model did",
                    null, result.attempts(), millisSince(start));
        }

        if (result.failure().kind() == FailureKind.CONTENT_POLICY) {
            String model = result.attempts().stream().filter(a -> a.outcome() == AttemptOutcome.CONTENT_POLICY)
                    .map(Attempt::model).reduce((a, b) -> b).orElse(null);
            throw new ContentPolicyRefusal(model, result.failure().message(), result.attempts());
        }
        String why = "every model failed (last: " + result.failure().message() + ")";
        if (cached.isPresent() && taxonomy.contains(cached.get().category())) {
            return fromCache(cached.get(), taxonomy, result.attempts(), true, why + "; serving a cached answer", start);
        }
        Category fallbackCategory = taxonomy.find(taxonomy.defaultCategory()).orElse(taxonomy.categories().get(0));
        return new Categorization(fallbackCategory.id(), fallbackCategory.label(), 0.0, taxonomy.id(), null, null,
                Source.DEFAULT, true, why + "; no cached answer, serving the taxonomy's default category",
                null, result.attempts(), millisSince(start));
    }

    private Categorization fromCache(CachedAnswer hit, Taxonomy taxonomy, List<Attempt> attempts, boolean degraded,
                                     String reason, long start) {
        String label = taxonomy.find(hit.category()).map(Category::label).orElse(hit.label());
        return new Categorization(hit.category(), label, hit.confidence(), taxonomy.id(), hit.model(), hit.provider(),
                Source.CACHE, degraded, reason, cache.age(hit).toSeconds(), attempts, millisSince(start));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
