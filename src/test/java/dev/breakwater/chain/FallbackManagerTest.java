package dev.breakwater.chain;

import dev.breakwater.config.ChainKind;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.providers.UnsupportedFieldException;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.resilience.RetrySettings;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain walk itself, with in-process models (Quarkus only provides SmallRye FT's implementation). */
@QuarkusTest
@WithTestResource(Upstreams.class)
class FallbackManagerTest {

    private final FallbackManager manager = new FallbackManager();

    private static ModelEndpoint model(String name, ModelClient client) {
        ResilientClient guard = new ResilientClient(name + "-" + System.nanoTime(),
                new ResiliencePolicy(new BreakerSettings(5, Duration.ofMinutes(1), 1), RetrySettings.NONE, Duration.ofSeconds(1)),
                Clock.systemUTC(), t -> { });
        return new ModelEndpoint(name, Provider.OPENAI, name, client, guard, null);
    }

    private static ModelClient answering(String content) {
        return prompt -> new ModelReply(content, "stop", TokenUsage.NONE, "m");
    }

    private static ModelClient refusing() {
        return prompt -> {
            throw new ClassifiedException(new Failure(FailureKind.CONTENT_POLICY, 400, "rejected by the safety system", java.util.Optional.empty()));
        };
    }

    private static ModelClient rejectingTheRequest() {
        return prompt -> {
            throw new ClassifiedException(new Failure(FailureKind.CALLER_ERROR, 400, "temperature must be >= 0", java.util.Optional.empty()));
        };
    }

    private static FallbackResult<String> run(ModelChain chain) {
        return new FallbackManager().executeWithFallback(chain, m -> m.client().chat(null).content(),
                (answer, min) -> answer.startsWith("good") ? QualityVerdict.accept() : QualityVerdict.reject("bad: " + answer), 0.6);
    }

    private static List<String> outcomes(FallbackResult<?> r) {
        return r.attempts().stream().map(a -> a.model() + ":" + a.outcome().id()).toList();
    }

    @Test
    void contentPolicyStopsTheChainByDefault() {
        FallbackResult<String> r = run(new ModelChain("c", List.of(model("a", refusing()), model("b", answering("good"))), false, 0.6));
        assertFalse(r.success());
        assertEquals(FailureKind.CONTENT_POLICY, r.failure().kind());
        assertEquals("rejected by the safety system", r.failure().message());
        assertEquals(List.of("a:content_policy"), outcomes(r));
    }

    @Test
    void theChainSwitchLetsContentPolicyFallOver() {
        FallbackResult<String> r = run(new ModelChain("c", List.of(model("a", refusing()), model("b", answering("good"))), true, 0.6));
        assertTrue(r.success());
        assertEquals("b", r.answeredBy().name());
        assertEquals(List.of("a:content_policy", "b:ok"), outcomes(r));
    }

    @Test
    void aCallerErrorStopsTheChainUnlessItsSwitchIsOn() {
        List<ModelEndpoint> models = List.of(model("a", rejectingTheRequest()), model("b", answering("good")));
        FallbackResult<String> stopped = run(new ModelChain("c", models, false, 0.6));
        assertFalse(stopped.success());
        assertEquals(FailureKind.CALLER_ERROR, stopped.failure().kind());
        assertEquals(List.of("a:caller_error"), outcomes(stopped));

        FallbackResult<String> fellOver = run(new ModelChain("c", models, false, 0.6, true, ChainKind.CHAT));
        assertTrue(fellOver.success());
        assertEquals(List.of("a:caller_error", "b:ok"), outcomes(fellOver));
    }

    @Test
    void unavailableModelsAreSkippedAndTheQualityCheckDecides() {
        ModelEndpoint noKey = new ModelEndpoint("nokey", Provider.ANTHROPIC, "x", null, null, "API key variable X is not set");
        FallbackResult<String> r = run(new ModelChain("c", List.of(noKey, model("a", answering("meh")), model("b", answering("good!"))), false, 0.6));
        assertTrue(r.success());
        assertEquals("good!", r.response());
        assertEquals(List.of("nokey:skipped_not_configured", "a:rejected_by_quality", "b:ok"), outcomes(r));
        assertEquals("bad: meh", r.attempts().get(1).reason());
    }

    @Test
    void exhaustedChainReportsTheLastFailureAndMetricsCountPerModel() {
        ModelEndpoint a = model("a", answering("meh"));
        FallbackResult<String> r = manager.executeWithFallback(new ModelChain("c", List.of(a), false, 0.6),
                m -> m.client().chat(null).content(), (answer, min) -> QualityVerdict.reject("never"), 0.6);
        assertFalse(r.success());
        assertNull(r.answeredBy());
        assertEquals(FailureKind.BAD_ANSWER, r.failure().kind());
        ModelMetrics m = manager.metrics().get("a");
        assertEquals(1, m.attempts());
        assertEquals(1, m.rejectedByQuality());
        assertEquals(1, m.failures());
        assertEquals(0, m.successes());
    }

    private static FallbackResult<String> runRefusing(String refusedModel, ModelChain chain) {
        ModelCall<String> call = ModelCall.admitting(m -> {
            if (m.name().equals(refusedModel)) {
                throw new UnsupportedFieldException("seed", "has no equivalent");
            }
        }, m -> m.client().chat(null).content());
        return new FallbackManager().executeWithFallback(chain, call, (answer, min) -> QualityVerdict.accept(), 0.6);
    }

    @Test
    void aModelThatCannotTakeTheRequestIsSkippedWithoutACallAndTheNextOneAnswers() {
        ModelEndpoint claude = model("claude", prompt -> {
            throw new AssertionError("a refused request must not reach the model");
        });
        FallbackResult<String> r = runRefusing("claude",
                new ModelChain("c", List.of(claude, model("b", answering("good"))), false, 0.6));
        assertTrue(r.success());
        assertEquals(List.of("claude:unsupported_field", "b:ok"), outcomes(r));
        assertEquals("field 'seed' has no equivalent", r.attempts().get(0).reason());
        assertEquals(0, claude.resilience().stats().totalCalls(), "the refusal never entered the breaker");
    }

    @Test
    void whenNoModelWasCalledTheRefusalIsTheAnswerNamingTheField() {
        FallbackResult<String> r = runRefusing("claude",
                new ModelChain("c", List.of(model("claude", answering("good"))), false, 0.6));
        assertFalse(r.success());
        assertEquals(FailureKind.UNSUPPORTED_FIELD, r.failure().kind());
        assertEquals("seed", r.failure().upstreamError().param());
    }

    @Test
    void aModelThatWasCalledAndFailedOutranksALaterRefusal() {
        ModelEndpoint failing = model("a", prompt -> {
            throw new ClassifiedException(new Failure(FailureKind.MISCONFIGURED, 401, "bad key", java.util.Optional.empty()));
        });
        FallbackResult<String> r = runRefusing("claude",
                new ModelChain("c", List.of(failing, model("claude", answering("good"))), false, 0.6));
        assertEquals(List.of("a:error", "claude:unsupported_field"), outcomes(r));
        assertEquals(401, r.failure().httpStatus());
    }

    // The walk for calls that hold no thread: the same rules, tries ended from outside by timeout, deadline or hang-up.

    private static ModelEndpoint asyncModel(String name, Duration timeout, RetrySettings retry) {
        ResilientClient guard = new ResilientClient(name + "-" + System.nanoTime(),
                new ResiliencePolicy(new BreakerSettings(5, Duration.ofMinutes(1), 1), retry, timeout),
                Clock.systemUTC(), t -> { });
        return new ModelEndpoint(name, Provider.OPENAI, name, answering("unused: the walk starts its tries"), guard, null);
    }

    /** Each model's tries, as the test hands them out: a model's function returns the stage of its next try. */
    private static FallbackResult<String> walk(ModelChain chain, Deadline deadline,
                                               java.util.function.Function<ModelEndpoint, CompletableFuture<String>> start) throws Exception {
        return new FallbackManager().walk(chain, ModelCall.starting(m -> { }, start),
                (answer, min) -> answer.startsWith("good") ? QualityVerdict.accept() : QualityVerdict.reject("bad: " + answer),
                0.6, deadline).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAsynchronousWalkFallsOverAndRecordsEveryTryOnce() throws Exception {
        ModelChain chain = new ModelChain("c", List.of(asyncModel("a", Duration.ofSeconds(5), RetrySettings.NONE),
                asyncModel("b", Duration.ofSeconds(5), RetrySettings.NONE), asyncModel("c", Duration.ofSeconds(5), RetrySettings.NONE)),
                false, 0.6);
        FallbackResult<String> r = walk(chain, Deadline.in(Duration.ofSeconds(30)), m -> switch (m.name()) {
            case "a" -> CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
            case "b" -> CompletableFuture.completedFuture("meh");
            default -> CompletableFuture.supplyAsync(() -> "good, later");
        });
        assertTrue(r.success());
        assertEquals("good, later", r.response());
        assertEquals("c", r.answeredBy().name());
        assertEquals(List.of("a:error", "b:rejected_by_quality", "c:ok"), outcomes(r));
    }

    @Test
    void aTryPastItsTimeoutIsEndedAndTheNextModelIsAsked() throws Exception {
        CompletableFuture<String> hanging = new CompletableFuture<>();
        ModelChain chain = new ModelChain("c", List.of(asyncModel("a", Duration.ofMillis(200), RetrySettings.NONE),
                asyncModel("b", Duration.ofSeconds(5), RetrySettings.NONE)), false, 0.6);
        FallbackResult<String> r = walk(chain, Deadline.in(Duration.ofSeconds(30)),
                m -> m.name().equals("a") ? hanging : CompletableFuture.completedFuture("good"));
        assertTrue(r.success());
        assertEquals(List.of("a:timeout", "b:ok"), outcomes(r));
        // Ended, not abandoned: whoever started it hears of it and resets its upstream request.
        assertTrue(hanging.isCompletedExceptionally());
    }

    @Test
    void aRetriedModelRecordsEachTryOnce() throws Exception {
        List<CompletableFuture<String>> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        RetrySettings twice = new RetrySettings(2, Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMillis(1));
        ModelChain chain = new ModelChain("c", List.of(asyncModel("a", Duration.ofSeconds(5), twice),
                asyncModel("b", Duration.ofSeconds(5), RetrySettings.NONE)), false, 0.6);
        FallbackResult<String> r = walk(chain, Deadline.in(Duration.ofSeconds(30)), m -> {
            if (m.name().equals("b")) {
                return CompletableFuture.completedFuture("good");
            }
            CompletableFuture<String> attempt = CompletableFuture.supplyAsync(() -> {
                throw new java.io.UncheckedIOException(new java.io.IOException("connection reset"));
            });
            tries.add(attempt);
            return attempt;
        });
        assertTrue(r.success());
        assertEquals(List.of("a:error", "a:error", "a:error", "b:ok"), outcomes(r));
        assertEquals(3, tries.size());
        assertEquals(4, r.upstreamCalls());
    }

    @Test
    void theDeadlineEndsTheTryInFlightAndTheWalk() throws Exception {
        CompletableFuture<String> hanging = new CompletableFuture<>();
        ModelChain chain = new ModelChain("c", List.of(asyncModel("a", Duration.ofSeconds(30), RetrySettings.NONE),
                asyncModel("b", Duration.ofSeconds(5), RetrySettings.NONE)), false, 0.6);
        FallbackResult<String> r = walk(chain, Deadline.in(Duration.ofMillis(200)),
                m -> m.name().equals("a") ? hanging : CompletableFuture.completedFuture("good"));
        assertFalse(r.success());
        assertEquals(FailureKind.DEADLINE, r.failure().kind());
        assertEquals(List.of("a:deadline_exceeded"), outcomes(r));
        assertTrue(hanging.isCompletedExceptionally());
    }

    @Test
    void aCallerHangingUpEndsTheTryAtOnceAndNoOtherStarts() throws Exception {
        CompletableFuture<String> hanging = new CompletableFuture<>();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Deadline deadline = Deadline.in(Duration.ofSeconds(30));
        ModelChain chain = new ModelChain("c", List.of(asyncModel("a", Duration.ofSeconds(30), RetrySettings.NONE),
                asyncModel("b", Duration.ofSeconds(5), RetrySettings.NONE)), true, 0.6);
        CompletableFuture<FallbackResult<String>> walking = new FallbackManager().walk(chain, ModelCall.starting(m -> { }, m -> {
                    asked.add(m.name());
                    return m.name().equals("a") ? hanging : CompletableFuture.completedFuture("good");
                }), (answer, min) -> QualityVerdict.accept(), 0.6, deadline).toCompletableFuture();
        assertFalse(walking.isDone());
        deadline.cancel();
        FallbackResult<String> r = walking.get(30, TimeUnit.SECONDS);
        assertFalse(r.success());
        assertEquals(FailureKind.CANCELLED, r.failure().kind());
        assertEquals(List.of("a:cancelled"), outcomes(r));
        assertEquals(List.of("a"), asked);
        assertTrue(hanging.isCompletedExceptionally());
    }
}
