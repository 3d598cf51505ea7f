package dev.breakwater.providers;

import dev.breakwater.testing.AzureOpenAi;
import dev.breakwater.testing.ProviderUpstreams;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.RecordedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.breakwater.testing.ProviderUpstreams.azure;
import static dev.breakwater.testing.ProviderUpstreams.entra;
import static dev.breakwater.testing.ProviderUpstreams.openai;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Azure OpenAI against a fake that only answers at Azure's URL layout with Azure's auth
 * (src/test/resources/providers-gateway.yaml): plain and streamed, each failure class, fail-over from and to it.
 */
@QuarkusTest
@TestProfile(ProviderUpstreams.Profile.class)
@WithTestResource(ProviderUpstreams.class)
class AzureOpenAiTest extends ProviderApiTest {

    @Test
    void aPlainCallGoesToTheDeploymentsUrlWithTheApiKey() {
        Response r = post("azure", false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("azure", r.header("x-breakwater-model"));
        assertEquals("from azure", r.jsonPath().getString("choices[0].message.content"));
        RecordedRequest sent = azure.lastRequest();
        assertEquals("/openai/deployments/gpt4o-prod/chat/completions", sent.path());
        assertEquals(ProviderUpstreams.KEY, sent.headers().get("api-key"));
        assertNull(sent.headers().get("authorization"), "the key travels in api-key only");
        assertEquals("gpt-4o", sent.model());
    }

    @Test
    void anEntraIdTokenIsSentAsABearerToken() {
        Response r = post("azure-entra", false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("from entra", r.jsonPath().getString("choices[0].message.content"));
        assertEquals("Bearer " + ProviderUpstreams.TOKEN, entra.lastRequest().headers().get("authorization"));
        assertNull(entra.lastRequest().headers().get("api-key"));
    }

    @Test
    void aStreamedCallIsRelayedWhole() {
        Response r = post("azure", true);
        assertEquals(200, r.statusCode(), r.asString());
        String body = r.asString();
        assertTrue(body.contains("\"finish_reason\":\"stop\"") && body.endsWith("data: [DONE]\n\n"), body);
        assertEquals("azure", r.header("x-breakwater-model"));
        assertEquals(1, azure.requestCount());
    }

    @Test
    void azuresContentFilterErrorIsAContentPolicyRefusalThatEndsTheChain() {
        azure.setFault(AzureOpenAi.contentFilterError());
        Response r = post("azure-first", false);
        assertEquals(422, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("content_filter"), r.asString());
        assertEquals(1, azure.requestCount(), "a refusal is not retried");
        assertEquals(0, openai.requestCount(), "nor passed to the next model");
    }

    @Test
    void aCompletionCutByTheContentFilterIsARefusalWholeAndStreamed() {
        azure.setFault(AzureOpenAi.filteredCompletion());
        assertEquals(422, post("azure-first", false).statusCode());
        azure.setFault(AzureOpenAi.filteredStream());
        assertEquals(422, post("azure-first", true).statusCode());
        assertEquals(0, openai.requestCount());
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedThenFallOverToOpenAi() {
        azure.enqueue(Fault.rateLimited(0), Fault.serviceUnavailable());
        Response r = post("azure-first", false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("openai", r.header("x-breakwater-model"));
        assertEquals("from openai", r.jsonPath().getString("choices[0].message.content"));
        assertEquals(2, azure.requestCount(), "a try and a retry");
        assertEquals(1, openai.requestCount());
    }

    @Test
    void contextLengthAndABadKeyFallOverWithoutRetry() {
        azure.setFault(Fault.contextLengthExceeded());
        Response r = post("azure-first", false);
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, azure.requestCount());
        azure.clearRecordings();
        azure.setFault(Fault.rawBody(401, "application/json", "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to "
                + "invalid subscription key or wrong API endpoint.\"}}"));
        r = post("azure-first", true);
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, azure.requestCount());
    }

    @Test
    void aCallerErrorIsRelayedAndAHangTimesOutThenFallsOver() {
        azure.setFault(Fault.status(400, "invalid_request_error", "invalid_value", "Invalid value for 'temperature': must be <= 2."));
        Response r = post("azure-first", false);
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(0, openai.requestCount(), "the caller's mistake is not routed around");
        azure.restoreDefaults();
        azure.respondWith("from azure");
        azure.enqueue(Fault.hang());
        r = post("azure-first", false);
        assertEquals("openai", r.header("x-breakwater-model"), r.asString());
        assertEquals(1, azure.requestCount(), "the hung call timed out (5 s); timeouts are not retried");
    }

    @Test
    void theFakeRefusesWhatAzureWouldRefuse() {
        // Azure's layout is what the tests above rely on: a request off it gets Azure's 404.
        given().contentType(ContentType.JSON).header("api-key", ProviderUpstreams.KEY).body("{}")
                .post(azure.baseUrl() + "/v1/chat/completions").then().statusCode(404);
        given().contentType(ContentType.JSON).header("api-key", "wrong").body("{}")
                .post(azure.baseUrl() + "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21").then().statusCode(401);
        assertEquals(2, azure.requestCount(), "both arrived, neither was answered");
    }

    @Test
    void azureTakesOverWhenOpenAiFailsStreamedToo() {
        openai.setFault(Fault.serviceUnavailable());
        Response r = post("openai-first", true);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("azure", r.header("x-breakwater-model"));
        assertEquals(2, openai.requestCount());
        assertEquals(1, azure.requestCount());
    }

    @Test
    void categorizationRunsOnAzure() {
        azure.restoreDefaults(); // answers with a category
        var answer = GatewayTestSupport.categorize("Rail freight Hamburg to Munich " + UUID.randomUUID())
                .statusCode(200).extract().jsonPath();
        assertEquals("azure", answer.getString("model"));
        assertEquals("azure-openai", answer.getString("provider"));
        assertFalse(answer.getBoolean("degraded"));
    }

    private static Response post(String model, boolean stream) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
    }
}
