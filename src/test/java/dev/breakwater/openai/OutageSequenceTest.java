package dev.breakwater.openai;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.telemetry.Ops;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.LongRecovery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.WithTestResource;
import dev.breakwater.testing.Upstreams;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The primary answers 503 for a while, then recovers. Test breaker: opens after 3 consecutive
 * failures, closes after 1 successful probe; two retries per request. Its recovery timeout is 10 s here
 * ({@link LongRecovery}): the six requests of the open window must all fit in it on a loaded machine.
 */
@QuarkusTest
@TestProfile(LongRecovery.class)
@WithTestResource(Upstreams.class)
class OutageSequenceTest extends OpenAiApiTest {

    @Test
    void theFallbackCoversTheOutageAndTrafficReturnsAfterRecovery() throws InterruptedException {
        // The first chat request of a fresh gateway is slow (connections, JIT): on a loaded machine it alone
        // outlasted a 1 s recovery window. Warm the path up on the fallback first, then count afresh.
        assertAnswer(post(body("secondary", false)), "secondary");
        secondary.clearRecordings();
        primary.setFault(Fault.serviceUnavailable());
        int windowRequests = 0;

        // Request 1: the try and two retries fail; the third failure opens the breaker.
        assertAnswer(post(body("chat", false)), "secondary");
        windowRequests++;
        assertEquals(3, primary.requestCount());
        assertEquals(BreakerState.OPEN, breaker());

        // While open, the primary is not called at all.
        for (int i = 0; i < 5; i++, windowRequests++) {
            assertAnswer(post(body("chat", false)), "secondary");
        }
        assertEquals(3, primary.requestCount());

        // After the recovery timeout one probe goes through; it fails and the breaker opens again.
        Ops.awaitProbeDue(breakers, "primary");
        assertAnswer(post(body("chat", false)), "secondary");
        windowRequests++;
        assertEquals(4, primary.requestCount(), "exactly one probe");
        assertEquals(BreakerState.OPEN, breaker());

        // The primary recovers; the breaker is still open, so the fallback keeps answering meanwhile.
        primary.setFault(Fault.ok());
        assertAnswer(post(body("chat", false)), "secondary");
        windowRequests++;
        assertEquals(4, primary.requestCount());

        // The first request after the recovery timeout is the probe, and the primary answers it: traffic is
        // back one recovery timeout after the last failure, not later.
        Ops.awaitProbeDue(breakers, "primary");
        Response back = post(body("chat", false));
        assertAnswer(back, "primary");
        assertEquals("false", back.header("x-breakwater-degraded"));
        assertEquals(BreakerState.CLOSED, breaker());

        for (int i = 0; i < 3; i++) {
            assertAnswer(post(body("chat", false)), "primary");
        }
        assertEquals(4 + 1 + 3, primary.requestCount());
        assertEquals(windowRequests, secondary.requestCount(), "every request in the window went to the fallback, once");
    }

    private BreakerState breaker() {
        return breakers.find("primary").orElseThrow().state();
    }

    private static void assertAnswer(Response r, String model) {
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(model, r.jsonPath().getString("model"));
        assertEquals(model, r.header("x-breakwater-model"));
        assertEquals(answerOf(model.equals("primary") ? Upstreams.primary : Upstreams.secondary),
                r.jsonPath().getString("choices[0].message.content"));
    }
}
