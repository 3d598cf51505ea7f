package dev.breakwater.resilience;

import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static dev.breakwater.testing.GatewayTestSupport.cleanSlate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deadline for the whole request: a model whose own timeout (30 s) is far beyond what is left of
 * the request's budget (2 s) is cut at the budget, over real HTTP to a fake answering after 5 s.
 */
@QuarkusTest
@TestProfile(RequestDeadlineTest.ShortDeadline.class)
@WithTestResource(Upstreams.class)
class RequestDeadlineTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.request-deadline", "2s", "breakwater.resilience.timeout.llm-api", "30s");
        }
    }

    @Inject
    BreakerRegistry breakers;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void clean() {
        cleanSlate(breakers, redis);
    }

    @Test
    void anUpstreamSlowerThanTheDeadlineIsCutAtTheDeadlineNotAtItsOwnTimeout() {
        categorize("warm-up: first request pays for connections " + System.nanoTime()).statusCode(200);
        Upstreams.primary.setFault(Fault.slowFirstByte(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        JsonPath body = categorize("Delta flight tickets for the sales team " + System.nanoTime()).statusCode(200)
                .extract().jsonPath();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // The upstream answers after 5 s; ending before 4 s shows the 2 s deadline, not the 30 s timeout, decided.
        assertTrue(tookMs < 4_000, "took " + tookMs + " ms: " + body.prettify());
        assertEquals("deadline_exceeded", body.getString("attempts[0].outcome"), body.prettify());
        assertEquals("primary", body.getString("attempts[0].model"));
        assertEquals(1, body.getList("attempts").size(), "nothing starts after the deadline: " + body.prettify());
        assertEquals(true, body.getBoolean("degraded"));
        assertEquals(BreakerState.CLOSED, breakers.find("primary").orElseThrow().state());
        assertEquals(0, breakers.find("primary").orElseThrow().stats().failedCalls(), "not the model's fault");
    }
}
