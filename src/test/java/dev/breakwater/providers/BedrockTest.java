package dev.breakwater.providers;

import dev.breakwater.testing.BedrockApi;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.ProviderUpstreams;
import dev.breakwater.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.breakwater.testing.ProviderUpstreams.bedrock;
import static dev.breakwater.testing.ProviderUpstreams.claude;
import static dev.breakwater.testing.ProviderUpstreams.openai;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock's Converse API against a fake that answers only requests whose SigV4 signature it recomputes
 * with the SDK's signer (src/test/resources/providers-gateway.yaml; credentials from the SDK's default
 * chain, set as system properties by {@link ProviderUpstreams}).
 */
@QuarkusTest
@TestProfile(ProviderUpstreams.Profile.class)
@WithTestResource(ProviderUpstreams.class)
class BedrockTest extends ProviderApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();


    @Test
    void aSignedConverseCallIsTranslatedBothWays() throws Exception {
        Response r = post("claude-bedrock", false, "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}]", ",\"max_tokens\":64,\"temperature\":0.2,\"stop\":[\"END\"]");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("claude-bedrock", r.header("x-breakwater-model"));
        assertEquals("from bedrock", r.jsonPath().getString("choices[0].message.content"));
        assertEquals("stop", r.jsonPath().getString("choices[0].finish_reason"));
        assertTrue(r.jsonPath().getInt("usage.prompt_tokens") > 0);
        RecordedRequest sent = bedrock.lastRequest();
        assertEquals("/model/anthropic.claude-sonnet-4-5-v1%3A0/converse", sent.path());
        JsonNode body = JSON.readTree(sent.body());
        assertEquals("Be brief.", body.path("system").path(0).path("text").asText());
        assertEquals("user", body.path("messages").path(0).path("role").asText());
        assertEquals("Hi", body.path("messages").path(0).path("content").path(0).path("text").asText());
        assertEquals(64, body.path("inferenceConfig").path("maxTokens").asInt());
        assertEquals("END", body.path("inferenceConfig").path("stopSequences").path(0).asText());
        assertTrue(sent.headers().get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + ProviderUpstreams.AWS_KEY_ID
                + "/"), sent.headers().get("authorization"));
        assertTrue(sent.headers().get("authorization").contains("/eu-west-1/bedrock/aws4_request"));
    }

    /** An explicit null is OpenAI's "not set": Bedrock gets no value (the model's default), not 0; numbers keep their digits. */
    @Test
    void nullSamplingFieldsAreLeftToTheModelAndNumbersKeepTheirDigits() throws Exception {
        Response r = post("claude-bedrock", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]",
                ",\"max_tokens\":null,\"temperature\":null,\"n\":null,\"top_p\":0.123456789012345678901");
        assertEquals(200, r.statusCode(), r.asString());
        String sent = bedrock.lastRequest().body();
        JsonNode inference = JSON.readTree(sent).path("inferenceConfig");
        assertFalse(inference.has("maxTokens"), sent);
        assertFalse(inference.has("temperature"), sent);
        assertTrue(sent.contains("\"topP\":0.123456789012345678901"), sent);
    }

    /** A fractional token count is not cut for Bedrock: the model is skipped before any call and the next one answers. */
    @Test
    void aFractionalMaxTokensSkipsBedrockWithoutACall() {
        Response r = post("bedrock-first", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", ",\"max_tokens\":10.5");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(0, bedrock.requestCount());
    }

    @Test
    void theFakeRejectsASignatureThatDoesNotMatchTheRequest() {
        post("claude-bedrock", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        RecordedRequest signed = bedrock.lastRequest();
        // The same signed headers over another body: the signature no longer matches.
        given().contentType("application/json").header("Authorization", signed.headers().get("authorization"))
                .header("X-Amz-Date", signed.headers().get("x-amz-date"))
                .body(signed.body().replace("Hi", "Ho"))
                .post(bedrock.baseUrl() + signed.path()).then().statusCode(403);
    }

    @Test
    void aStreamedRequestGoesToConverseStreamAndComesBackAsChunks() {
        Response r = post("claude-bedrock", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]",
                ",\"stream_options\":{\"include_usage\":true}");
        assertEquals(200, r.statusCode(), r.asString());
        String events = r.asString();
        assertEquals("/model/anthropic.claude-sonnet-4-5-v1%3A0/converse-stream", bedrock.lastRequest().path());
        StringBuilder text = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"content\":\"([^\"]*)\"").matcher(events);
        while (m.find()) {
            text.append(m.group(1));
        }
        assertEquals("from bedrock", text.toString(), events);
        assertTrue(events.contains("\"finish_reason\":\"stop\"") && events.contains("\"prompt_tokens\"")
                && events.endsWith("data: [DONE]\n\n"), events);
    }

    @Test
    void aCutEventStreamIsRetriedThenFallsOver() {
        bedrock.enqueue(Fault.streamCutAfter(1));
        Response r = post("bedrock-first", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        assertEquals("claude-bedrock", r.header("x-breakwater-model"), r.asString());
        assertEquals(2, bedrock.requestCount(), "the cut stream, then a whole one");
        bedrock.clearRecordings();
        bedrock.setFault(Fault.streamCutAfter(1));
        r = post("bedrock-first", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(2, bedrock.requestCount());
    }

    @Test
    void throttlingAndServerErrorsAreRetriedThenFallOver() {
        bedrock.enqueue(BedrockApi.throttled(), Fault.serviceUnavailable());
        Response r = post("bedrock-first", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(2, bedrock.requestCount());
    }

    @Test
    void inputTooLongAndAccessDeniedFallOverWithoutRetry() {
        bedrock.setFault(BedrockApi.inputTooLong());
        assertEquals("openai", post("bedrock-first", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "").header("x-breakwater-model"));
        assertEquals(1, bedrock.requestCount());
        bedrock.clearRecordings();
        bedrock.setFault(BedrockApi.accessDenied());
        assertEquals("openai", post("bedrock-first", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "").header("x-breakwater-model"));
        assertEquals(1, bedrock.requestCount());
    }

    @Test
    void aGuardrailStopIsAContentPolicyRefusal() {
        bedrock.setFault(BedrockApi.guardrail());
        assertEquals(422, post("bedrock-first", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "").statusCode());
        assertEquals(0, openai.requestCount());
    }

    @Test
    void aFieldConverseCannotCarrySkipsBedrockWithoutACall() {
        Response r = post("bedrock-first", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]",
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(0, bedrock.requestCount());
    }

    @Test
    void bedrockTakesOverWhenOpenAiFails() {
        openai.setFault(Fault.serviceUnavailable());
        Response r = post("openai-then-bedrock", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("claude-bedrock", r.header("x-breakwater-model"));
    }

    @Test
    void claudeOnAnthropicFailsOverToTheSameClaudeOnBedrock() {
        claude.setFault(Fault.serviceUnavailable());
        for (int i = 0; i < 4; i++) {
            Response r = post("claude-sonnet", false, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals("claude-sonnet", r.header("x-breakwater-model"));
            assertEquals("claude-on-bedrock", r.header("x-breakwater-deployment"));
            assertEquals("from bedrock", r.jsonPath().getString("choices[0].message.content"));
        }
    }

    @Test
    void categorizationRunsOnBedrock() {
        bedrock.restoreDefaults(); // answers with a category
        ProviderUpstreams.azure.setFault(Fault.serviceUnavailable());
        ProviderUpstreams.gemini.setFault(Fault.serviceUnavailable());
        var answer = GatewayTestSupport.categorize("Air freight Shanghai " + UUID.randomUUID()).statusCode(200).extract().jsonPath();
        assertEquals("claude-bedrock", answer.getString("model"));
        assertEquals("bedrock", answer.getString("provider"));
    }

    @Test
    void aHangTimesOutAndFallsOver() {
        bedrock.enqueue(Fault.hang());
        Response r = post("bedrock-first", true, "[{\"role\":\"user\",\"content\":\"Hi\"}]", "");
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, bedrock.requestCount(), "the hung call timed out (5 s); timeouts are not retried");
    }

    private static Response post(String model, boolean stream, String messages, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":" + messages + extra + "}")
                .post("/v1/chat/completions");
    }
}
