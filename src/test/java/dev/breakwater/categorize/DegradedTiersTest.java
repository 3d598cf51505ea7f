package dev.breakwater.categorize;

import dev.breakwater.testing.ChainGatewayTest;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.SecondRedis;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Map;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static dev.breakwater.testing.Upstreams.claude;
import static dev.breakwater.testing.Upstreams.primary;
import static dev.breakwater.testing.Upstreams.secondary;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiers after the chain: with the local model disabled and every cloud model down, a cached
 * answer of any age, then the taxonomy's default. Runs on a Redis of its own that the last test kills.
 */
@QuarkusTest
@TestProfile(DegradedTiersTest.NoLocalModel.class)
@WithTestResource(Upstreams.class)
@WithTestResource(SecondRedis.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DegradedTiersTest extends ChainGatewayTest {

    /** Local model off; cached answers are stale at once, so only the all-failed path can serve them. */
    public static class NoLocalModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.models[3].enabled", "false", "breakwater.cache.ttl", "1ms");
        }
    }

    private static void allCloudModelsDown() {
        primary.setFault(Fault.serviceUnavailable());
        secondary.setFault(Fault.serviceUnavailable());
        claude.setFault(Fault.serviceUnavailable());
    }

    @Test
    @Order(1)
    void whenEveryModelFailsACachedAnswerOfAnyAgeIsServedAndMarkedDegraded() {
        String text = "Hotel nights for the audit team in Lyon";
        categorize(text).statusCode(200).body("source", equalTo("llm")).body("model", equalTo("primary"));
        allCloudModelsDown();
        categorize(text).statusCode(200)
                .body("source", equalTo("cache"))
                .body("degraded", equalTo(true))
                .body("category", equalTo("6"))
                .body("model", equalTo("primary"))
                .body("cache_age_seconds", notNullValue())
                .body("degraded_reason", startsWith("every model failed"));
    }

    @Test
    @Order(2)
    void withNoCachedAnswerTheTaxonomyDefaultIsServed() {
        allCloudModelsDown();
        categorize("Annual maintenance contract for the chillers").statusCode(200)
                .body("source", equalTo("default"))
                .body("degraded", equalTo(true))
                .body("category", equalTo("1"))
                .body("label", equalTo("Purchased goods and services"))
                .body("confidence", equalTo(0.0f))
                .body("model", nullValue());
    }

    @Test
    @Order(3)
    void redisGoneNeverFailsARequestNorSlowsItPastTheCacheTimeout() throws Exception {
        SecondRedis.kill();
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            categorize("Taxi from the airport to the client site " + i).statusCode(200)
                    .body("source", equalTo("llm")).body("model", equalTo("primary"));
            long took = (System.nanoTime() - start) / 1_000_000;
            // Bounded, not fast: the claim is that Redis gone never hangs a request (a lookup and a write, 3 s each at
            // most, and the model's answer).
            assertTrue(took < 15_000, "request " + i + " took " + took + " ms with Redis down (cache timeout 3 s)");
        }
        allCloudModelsDown();
        categorize("Taxi from the airport to the client site 0").statusCode(200)
                .body("source", equalTo("default")).body("degraded", equalTo(true));
    }
}
