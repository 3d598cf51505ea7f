package dev.breakwater.categorize;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.telemetry.Ops;
import dev.breakwater.testing.ChainGatewayTest;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.LongRecovery;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static dev.breakwater.testing.Upstreams.claude;
import static dev.breakwater.testing.Upstreams.primary;
import static dev.breakwater.testing.Upstreams.secondary;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model chain against real HTTP upstreams on loopback: primary and secondary speak OpenAI's wire
 * format, claude speaks Anthropic's; the local model is the last tier. Timings come from
 * src/test/resources/gateway-test.yaml (threshold 3, 2 retries, 3 s timeout), with the primary's recovery
 * at 10 s ({@link LongRecovery}).
 */
@QuarkusTest
@TestProfile(LongRecovery.class)
@WithTestResource(Upstreams.class)
class ChainFailoverTest extends ChainGatewayTest {

    private static final String TRAVEL = "Delta flight tickets for the sales team";

    private static List<String> outcomes(JsonPath body) {
        return body.getList("attempts.collect { it.model + ':' + it.outcome }");
    }

    @Test
    void healthyPrimaryAnswersAndIsNotDegraded() {
        JsonPath body = categorize(TRAVEL).statusCode(200)
                .body("category", equalTo("6"))
                .body("label", equalTo("Business travel"))
                .body("model", equalTo("primary"))
                .body("provider", equalTo("openai"))
                .body("source", equalTo("llm"))
                .body("degraded", equalTo(false))
                .body("confidence", equalTo(0.92f))
                .extract().jsonPath();
        assertEquals(List.of("primary:ok"), outcomes(body));
        assertEquals(1, primary.requestCount());
        assertEquals("Bearer sk-test-openai-0123456789", primary.lastRequest().header("authorization"));
        assertEquals("gpt-4o", primary.lastRequest().model());
        assertTrue(primary.lastRequest().body().contains(TRAVEL), "the caller's text reaches the model");
    }

    @Test
    void primaryFailingWith503IsRetriedThenSecondaryAnswers() {
        primary.setFault(Fault.serviceUnavailable());
        JsonPath body = categorize(TRAVEL).statusCode(200)
                .body("model", equalTo("secondary"))
                .body("source", equalTo("llm"))
                .body("degraded", equalTo(false))
                .body("attempts[0].http_status", equalTo(503))
                .extract().jsonPath();
        assertEquals(List.of("primary:error", "primary:error", "primary:error", "secondary:ok"), outcomes(body));
        assertEquals(3, primary.requestCount(), "one call and two retries");
        assertEquals(1, secondary.requestCount());
    }

    @Test
    void breakerOpensAfterThresholdThenSkipsPrimaryThenOneProbeClosesIt() throws Exception {
        primary.setFault(Fault.serviceUnavailable());
        categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary"));
        assertEquals(BreakerState.OPEN, breakers.find("primary").orElseThrow().state());
        assertEquals(3, primary.requestCount());

        primary.clearRecordings();
        JsonPath skipped = categorize(TRAVEL + " again").statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        assertEquals(List.of("primary:skipped_open_circuit", "secondary:ok"), outcomes(skipped));
        assertEquals(0, primary.requestCount(), "an open breaker sends nothing to the primary");

        primary.setFault(Fault.ok());
        Ops.awaitProbeDue(breakers, "primary");
        JsonPath probe = categorize(TRAVEL + " once more").statusCode(200).body("model", equalTo("primary")).extract().jsonPath();
        assertEquals(List.of("primary:ok"), outcomes(probe));
        assertEquals(1, primary.requestCount(), "exactly one probe");
        assertEquals(BreakerState.CLOSED, breakers.find("primary").orElseThrow().state());
    }

    @Test
    void garbageAnswerIsRejectedWithoutRetryAndTheNextModelAnswers() {
        primary.setFault(Fault.garbage());
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        assertEquals(List.of("primary:rejected_by_quality", "secondary:ok"), outcomes(body));
        assertEquals(1, primary.requestCount());
    }

    @Test
    void answersOutsideTheTaxonomyOrBelowMinQualityAreRejected() {
        primary.respondWith("{\"category\":\"99\",\"confidence\":0.99}");
        secondary.respondWith("{\"category\":\"6\",\"confidence\":0.3}");
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("claude")).extract().jsonPath();
        assertEquals(List.of("primary:rejected_by_quality", "secondary:rejected_by_quality", "claude:ok"), outcomes(body));
        assertEquals("category '99' is not in taxonomy ghg-scope3", body.getString("attempts[0].reason"));
        assertEquals("confidence 0.30 is below min-quality 0.60", body.getString("attempts[1].reason"));
    }

    @Test
    void rateLimitWithRetryAfterUnderTheCapIsWaitedOut() {
        primary.enqueue(Fault.rateLimited(1));
        long start = System.nanoTime();
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("primary")).extract().jsonPath();
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("primary:error", "primary:ok"), outcomes(body));
        assertEquals(429, body.getInt("attempts[0].http_status"));
        assertEquals(2, primary.requestCount());
        assertTrue(took >= 1_000, "waited only " + took + " ms of a 1 s Retry-After");
        // On the fake's own clock: at least the Retry-After (the back-off alone waits at most 20 ms here),
        // and an upper bound only far away, so a loaded machine cannot fail it.
        long gap = primary.requests().get(1).at().toEpochMilli() - primary.requests().get(0).at().toEpochMilli();
        assertTrue(gap >= 950 && gap < 5_000, "the retry came " + gap + " ms after the 429 with Retry-After: 1");
    }

    @Test
    void rateLimitWithRetryAfterBeyondTheCapMovesOnAtOnce() {
        primary.setFault(Fault.rateLimited(30));
        long start = System.nanoTime();
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("primary:error", "secondary:ok"), outcomes(body));
        assertEquals(1, primary.requestCount());
        assertTrue(took < 15_000, "took " + took + " ms: half the 30 s Retry-After it must not wait");
    }

    @Test
    void silentPrimaryTimesOnceAndTheNextModelAnswersWithinItsTimeoutPlusItsOwnTime() {
        primary.setFault(Fault.hang());
        long start = System.nanoTime();
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("primary:timeout", "secondary:ok"), outcomes(body));
        assertEquals(1, primary.requestCount(), "a silent model is not retried");
        // The primary never answers: only its 3 s timeout can end the attempt, well before the 10 s deadline.
        assertTrue(took >= 3_000 && took < 8_000, "took " + took + " ms for a 3 s timeout");
    }

    @Test
    void connectionResetsAreRetriedThenTheChainMovesOn() {
        primary.setFault(Fault.reset());
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        assertEquals(List.of("primary:error", "primary:error", "primary:error", "secondary:ok"), outcomes(body));
        assertEquals(3, primary.requestCount());
    }

    /** The prompt is the gateway's own: an upstream calling it invalid is not a caller error here, the chain moves on. */
    @Test
    void anInvalidRequestErrorOnTheGatewaysOwnPromptFallsOver() {
        primary.setFault(Fault.rawBody(400, "application/json", "{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens'\","
                + "\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":\"unsupported_parameter\"}}"));
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("secondary")).extract().jsonPath();
        assertEquals(List.of("primary:error", "secondary:ok"), outcomes(body));
        assertEquals(1, primary.requestCount());
    }

    @Test
    void contextLengthAndBadKeysFallOverWithoutRetrying() {
        primary.setFault(Fault.contextLengthExceeded());
        secondary.setFault(Fault.invalidApiKey());
        JsonPath body = categorize(TRAVEL).statusCode(200).body("model", equalTo("claude")).extract().jsonPath();
        assertEquals(List.of("primary:context_length_exceeded", "secondary:error", "claude:ok"), outcomes(body));
        assertEquals(1, primary.requestCount());
        assertEquals(1, secondary.requestCount());
        assertEquals(401, body.getInt("attempts[1].http_status"));
    }

    @Test
    void anthropicAnswersInItsOwnWireFormat() {
        primary.setFault(Fault.serviceUnavailable());
        secondary.setFault(Fault.serviceUnavailable());
        categorize(TRAVEL).statusCode(200)
                .body("model", equalTo("claude"))
                .body("provider", equalTo("anthropic"))
                .body("source", equalTo("llm"))
                .body("degraded", equalTo(false));
        assertEquals(1, claude.requestCount("/v1/messages"));
        assertEquals("sk-ant-test-0123456789", claude.lastRequest().header("x-api-key"));
    }

    @Test
    void allCloudModelsDownTheLocalModelAnswersDegraded() {
        primary.setFault(Fault.serviceUnavailable());
        secondary.setFault(Fault.hang());
        claude.setFault(Fault.serviceUnavailable());
        JsonPath body = categorize(TRAVEL).statusCode(200)
                .body("category", equalTo("6"))
                .body("model", equalTo("local"))
                .body("provider", equalTo("local"))
                .body("source", equalTo("local"))
                .body("degraded", equalTo(true))
                .body("degraded_reason", not(equalTo(null)))
                .extract().jsonPath();
        assertEquals("local:ok", outcomes(body).get(outcomes(body).size() - 1));
        assertTrue(body.getDouble("confidence") >= 0.6);
    }

    @Test
    void contentPolicyRefusalReachesTheCallerAs422WithTheProvidersReason() {
        primary.setFault(Fault.contentPolicy());
        categorize(TRAVEL).statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("model", equalTo("primary"))
                .body("detail", containsString("safety system"))
                .body("attempts", hasSize(1));
        assertEquals(1, primary.requestCount(), "not retried");
        assertEquals(0, secondary.requestCount(), "not routed around by default");
    }

    @Test
    void aFreshCachedAnswerIsServedWithoutCallingAnyModel() {
        categorize(TRAVEL).statusCode(200).body("source", equalTo("llm"));
        assertEquals(1, primary.requestCount());
        JsonPath hit = categorize("  delta FLIGHT tickets   for the sales team ").statusCode(200)
                .body("source", equalTo("cache"))
                .body("degraded", equalTo(false))
                .body("model", equalTo("primary"))
                .body("category", equalTo("6"))
                .body("attempts", hasSize(0))
                .extract().jsonPath();
        assertEquals(1, primary.requestCount(), "the cache answered");
        assertTrue(hit.getLong("cache_age_seconds") >= 0);
    }

    @Test
    void theApiKeyNeverAppearsInAnswers() {
        primary.setFault(Fault.invalidApiKeyEchoed());
        String raw = categorize(TRAVEL).statusCode(200).extract().asString();
        assertTrue(primary.lastRequest().header("authorization").endsWith("sk-test-openai-0123456789"));
        assertFalse(raw.contains("sk-test-openai-0123456789"), raw);
    }
}
