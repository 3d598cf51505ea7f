package dev.breakwater.categorize;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.providers.local.Bulkhead;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.resilience.RetrySettings;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import dev.breakwater.taxonomy.Taxonomy;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which quality rejections count against a breaker: a low confidence is a property of the text, a
 * malformed or off-taxonomy answer is evidence of a broken model. (Quarkus provides SmallRye FT.)
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class LocalTierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Taxonomy GHG = BuiltInTaxonomies.load(JSON).stream().filter(t -> t.id().equals("ghg-scope3"))
            .findFirst().orElseThrow();

    private static ModelEndpoint model(String name, Provider provider, String answer) {
        ResilientClient guard = new ResilientClient(name + "-" + System.nanoTime(),
                new ResiliencePolicy(new BreakerSettings(3, Duration.ofMinutes(1), 1), RetrySettings.NONE, Duration.ofSeconds(5)),
                Clock.systemUTC(), t -> { });
        ModelClient client = prompt -> new ModelReply(answer, "stop", TokenUsage.NONE, name);
        return new ModelEndpoint(name, provider, name, client, guard, null);
    }

    private static FallbackResult<CategoryAnswer> ask(ModelEndpoint model) {
        return new FallbackManager().executeWithFallback(new ModelChain("c", List.of(model), false, 0.6),
                m -> AnswerParser.parse(JSON, m.client().chat(null).content()), new CategorizationQualityCheck(GHG), 0.6);
    }

    @Test
    void lowConfidenceAnswersOfTheLocalModelNeverOpenItsBreaker() {
        ModelEndpoint local = model("local", Provider.LOCAL, "{\"category\":\"6\",\"confidence\":0.31}");
        for (int i = 0; i < 5; i++) {
            FallbackResult<CategoryAnswer> r = ask(local);
            assertFalse(r.success());
            assertEquals("rejected_by_quality", r.attempts().get(0).outcome().id());
        }
        assertEquals(BreakerState.CLOSED, local.resilience().state(), "5 unsure answers are not 5 faults");
        assertEquals(0, local.resilience().stats().failedCalls());
    }

    @Test
    void lowConfidenceOfACloudModelDoesNotCountEither() {
        ModelEndpoint cloud = model("cloud", Provider.OPENAI, "{\"category\":\"6\",\"confidence\":0.2}");
        for (int i = 0; i < 5; i++) {
            ask(cloud);
        }
        assertEquals(BreakerState.CLOSED, cloud.resilience().state());
    }

    @Test
    void aFullBulkheadSkipsTheLocalTierAsBusyWithoutQueueingOrCountingIt() throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, 1);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ModelEndpoint busyLocal = model("local", Provider.LOCAL, "{\"category\":\"6\",\"confidence\":0.9}");
        ModelClient inBulkhead = prompt -> bulkhead.run(() -> new ModelReply("{\"category\":\"6\",\"confidence\":0.9}",
                "stop", TokenUsage.NONE, "local"));
        ModelEndpoint local = new ModelEndpoint("local", Provider.LOCAL, "local", inBulkhead, busyLocal.resilience(), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // one inference running, one waiting: the bulkhead is full
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> bulkhead.run(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
            }
            assertTrue(waitUntil(() -> running.getCount() == 1 && bulkhead.full()), "one runs, one waits");
            long start = System.nanoTime();
            FallbackResult<CategoryAnswer> r = ask(local);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertFalse(r.success());
            assertEquals("skipped_busy", r.attempts().get(0).outcome().id());
            // A queued call would wait for the release, which comes only after this test: any bound shows it was not.
            assertTrue(tookMs < 10_000, "refused at once, not queued: " + tookMs + " ms");
            assertEquals(0, local.resilience().stats().failedCalls(), "busy is nobody's fault");
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(ask(local).success(), "free again once the burst has passed");
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void malformedAndOffTaxonomyAnswersStillOpenTheBreaker() {
        ModelEndpoint prose = model("prose", Provider.OPENAI, "I think it's probably travel?");
        ModelEndpoint offTaxonomy = model("off", Provider.LOCAL, "{\"category\":\"99\",\"confidence\":0.9}");
        for (int i = 0; i < 3; i++) {
            ask(prose);
            ask(offTaxonomy);
        }
        assertEquals(BreakerState.OPEN, prose.resilience().state());
        assertEquals(BreakerState.OPEN, offTaxonomy.resilience().state());
    }
}
