package dev.breakwater.resilience;

import dev.breakwater.testing.ChainGatewayTest;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deadline for the whole request: a model whose own timeout (30 s) is far beyond what is left of
 * the request's budget (2 s) is cut at the budget, over real HTTP to a fake that never answers.
 */
@QuarkusTest
@TestProfile(RequestDeadlineTest.ShortDeadline.class)
@WithTestResource(Upstreams.class)
class RequestDeadlineTest extends ChainGatewayTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.request-deadline", "2s", "breakwater.resilience.timeout.llm-api", "30s");
        }
    }

    @Test
    void anUpstreamSlowerThanTheDeadlineIsCutAtTheDeadlineNotAtItsOwnTimeout() {
        Upstreams.primary.setFault(Fault.hangUntilClientLeaves());
        long start = System.nanoTime();
        JsonPath body = categorize("Delta flight tickets for the sales team " + System.nanoTime()).statusCode(200)
                .extract().jsonPath();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // The upstream never answers: only the 2 s deadline or the 30 s timeout can end the attempt. Half the
        // timeout tells them apart however loaded the machine is; the outcome names which one it was.
        assertTrue(tookMs >= 2_000 && tookMs < 15_000, "took " + tookMs + " ms: " + body.prettify());
        assertEquals("deadline_exceeded", body.getString("attempts[0].outcome"), body.prettify());
        assertEquals("primary", body.getString("attempts[0].model"));
        assertEquals(1, body.getList("attempts").size(), "nothing starts after the deadline: " + body.prettify());
        assertEquals(true, body.getBoolean("degraded"));
        assertEquals(BreakerState.CLOSED, breakers.find("primary").orElseThrow().state());
        assertEquals(0, breakers.find("primary").orElseThrow().stats().failedCalls(), "not the model's fault");
    }
}
