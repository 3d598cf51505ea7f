package dev.breakwater.openai;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upstream's "your request is invalid" belongs to the caller: relayed with the upstream's status
 * and error object, never retried, never held against the model, never routed around. Before,
 * five such requests opened the model's breaker for everyone.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class CallerErrorTest extends OpenAiApiTest {

    private static final String BAD_TEMPERATURE = "{\"error\":{\"message\":\"-5 is less than the minimum of 0 - 'temperature'\","
            + "\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}";

    @Test
    void tenBadRequestsAreTenCallsAndTheModelStaysAvailable() {
        primary.setFault(Fault.rawBody(400, "application/json", BAD_TEMPERATURE));
        long failedBefore = breakers.find("primary").orElseThrow().stats().failedCalls(); // totals survive a reset
        for (int i = 0; i < 10; i++) {
            Response r = post(body("chat", i % 2 == 1, ",\"temperature\":-5"));
            assertEquals(400, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("temperature", r.jsonPath().getString("error.param"));
            assertEquals("invalid_value", r.jsonPath().getString("error.code"));
            assertEquals("invalid_request_error", r.jsonPath().getString("error.type"));
            assertTrue(r.jsonPath().getString("error.message").contains("temperature"), r.asString());
            assertEquals("caller_error", r.jsonPath().getString("attempts[0].outcome"));
            assertEquals("1", r.header("x-breakwater-attempts"));
        }
        assertCounts(10, 0);
        assertEquals(BreakerState.CLOSED, breakers.find("primary").orElseThrow().state());
        assertEquals(failedBefore, breakers.find("primary").orElseThrow().stats().failedCalls());

        primary.setFault(Fault.ok());
        ChatCompletionsTest.assertAnsweredBy(post(body("chat", false)), "primary", primary, "1", "false");
    }

    @Test
    void aMissingUpstreamModelIsOurMisconfigurationAndTheChainMovesOn() {
        primary.setFault(Fault.rawBody(404, "application/json", "{\"error\":{\"message\":\"The model `gpt-4o` does not exist\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}"));
        Response r = post(body("chat", false));
        ChatCompletionsTest.assertAnsweredBy(r, "secondary", secondary, "2", "true");
        assertFalse(r.asString().contains("model_not_found"));
    }
}
