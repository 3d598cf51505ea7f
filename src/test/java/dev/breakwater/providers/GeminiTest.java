package dev.breakwater.providers;

import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.GeminiApi;
import dev.breakwater.testing.ProviderUpstreams;
import dev.breakwater.testing.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.breakwater.testing.ProviderUpstreams.gemini;
import static dev.breakwater.testing.ProviderUpstreams.openai;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemini through Google's OpenAI-compatible endpoint, against a fake that only answers at its path with
 * its bearer key and Google's error shapes (src/test/resources/providers-gateway.yaml).
 */
@QuarkusTest
@TestProfile(ProviderUpstreams.Profile.class)
@WithTestResource(ProviderUpstreams.class)
class GeminiTest extends ProviderApiTest {

    @Test
    void aPlainCallReachesTheCompatibleEndpointWithTheKey() {
        Response r = post("gemini-flash", false, "");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("gemini-flash", r.header("x-breakwater-model"));
        assertEquals("from gemini", r.jsonPath().getString("choices[0].message.content"));
        RecordedRequest sent = gemini.lastRequest();
        assertEquals("/v1beta/openai/chat/completions", sent.path());
        assertEquals("Bearer " + ProviderUpstreams.GEMINI_KEY, sent.headers().get("authorization"));
        assertEquals("gemini-2.5-flash", sent.model());
    }

    @Test
    void fieldsPassThroughAsSent() {
        post("gemini-flash", false, ",\"reasoning_effort\":\"low\",\"response_format\":{\"type\":\"json_object\"}");
        String sent = gemini.lastRequest().body();
        assertTrue(sent.contains("\"reasoning_effort\":\"low\"") && sent.contains("\"json_object\""), sent);
    }

    @Test
    void aStreamedCallIsRelayedWhole() {
        Response r = post("gemini-flash", true, "");
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().endsWith("data: [DONE]\n\n"));
        assertEquals("gemini-flash", r.header("x-breakwater-model"));
    }

    @Test
    void quotaAndOverloadAreRetriedThenFallOverToOpenAi() {
        gemini.enqueue(GeminiApi.resourceExhausted(), GeminiApi.overloaded());
        Response r = post("gemini-first", true, "");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("openai", r.header("x-breakwater-model"));
        assertEquals(2, gemini.requestCount());
    }

    @Test
    void tooManyTokensIsAContextLengthFailureThatFallsOverAtOnce() {
        gemini.setFault(GeminiApi.tooManyTokens());
        Response r = post("gemini-first", false, "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, gemini.requestCount());
    }

    @Test
    void aSafetyStopIsAContentPolicyRefusal() {
        gemini.setFault(GeminiApi.safetyStop());
        Response r = post("gemini-first", false, "");
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals(0, openai.requestCount());
    }

    @Test
    void aRejectedKeyFallsOverWithoutRetry() {
        gemini.setFault(GeminiApi.error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
        Response r = post("gemini-first", false, "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, gemini.requestCount());
    }

    @Test
    void anInvalidArgumentIsTheCallersAndIsRelayed() {
        gemini.setFault(GeminiApi.error(400, "INVALID_ARGUMENT",
                "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), 5"));
        Response r = post("gemini-first", false, ",\"temperature\":5");
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("generation_config.temperature"), r.asString());
        assertEquals(1, gemini.requestCount(), "not retried");
        assertEquals(0, openai.requestCount(), "not routed around");
    }

    @Test
    void geminiTakesOverWhenOpenAiFails() {
        openai.setFault(Fault.serviceUnavailable());
        Response r = post("openai-then-gemini", true, "");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("gemini-flash", r.header("x-breakwater-model"));
        assertEquals(1, gemini.requestCount());
    }

    @Test
    void theFakeRefusesAWrongKey() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body("{}")
                .post(gemini.baseUrl() + "/v1beta/openai/chat/completions").then().statusCode(400);
    }

    @Test
    void categorizationRunsOnGemini() {
        gemini.restoreDefaults(); // answers with a category
        ProviderUpstreams.azure.setFault(Fault.serviceUnavailable()); // the categorizer chain: azure, gemini-flash, local
        var answer = GatewayTestSupport.categorize("Office paper " + UUID.randomUUID()).statusCode(200).extract().jsonPath();
        assertEquals("gemini-flash", answer.getString("model"));
        assertEquals("gemini", answer.getString("provider"));
    }

    @Test
    void aHangTimesOutAndFallsOver() {
        gemini.enqueue(Fault.hang());
        Response r = post("gemini-first", true, "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, gemini.requestCount(), "the hung call timed out (5 s); timeouts are not retried");
    }

    private static Response post(String model, boolean stream, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + extra + "}")
                .post("/v1/chat/completions");
    }
}
