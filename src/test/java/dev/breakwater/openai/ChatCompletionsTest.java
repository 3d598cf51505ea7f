package dev.breakwater.openai;

import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.breakwater.testing.Upstreams;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain (non-streamed) chat completions: routing, fallback and every error class, with exact upstream counts. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class ChatCompletionsTest extends OpenAiApiTest {

    @Test
    void primaryAnswers() {
        Response r = post(body("chat", false));
        assertAnsweredBy(r, "primary", primary, "1", "false");
        assertEquals("stop", r.jsonPath().getString("choices[0].finish_reason"));
        assertEquals("gpt-4o", primary.lastRequest().model());
        assertCounts(1, 0);
    }

    @Test
    void serverErrorsAreRetriedThenTheNextModelAnswersWithItsOwnUsage() {
        primary.setFault(Fault.serviceUnavailable());
        secondary.fixedUsage(7, 11);
        Response r = post(body("chat", false));
        assertAnsweredBy(r, "secondary", secondary, "4", "true");
        assertEquals(7, r.jsonPath().getInt("usage.prompt_tokens"));
        assertEquals(11, r.jsonPath().getInt("usage.completion_tokens"));
        assertEquals(18, r.jsonPath().getInt("usage.total_tokens"));
        assertCounts(3, 1); // one try + two retries (max-retries 2), then the fallback
    }

    @Test
    void retryAfterWithinTheCapIsHonouredOnTheSameModel() {
        primary.enqueue(Fault.rateLimited(1));
        long start = System.nanoTime();
        Response r = post(body("chat", false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertAnsweredBy(r, "primary", primary, "2", "false");
        assertTrue(millis >= 1000, "waited " + millis + " ms; Retry-After asked for 1 s");
        assertCounts(2, 0);
        List<java.time.Instant> at = primary.requests().stream().map(dev.breakwater.testing.RecordedRequest::at).toList();
        assertTrue(java.time.Duration.between(at.get(0), at.get(1)).toMillis() >= 950, "retry came " + at);
    }

    @Test
    void retryAfterBeyondTheCapMovesToTheNextModelAtOnce() {
        primary.enqueue(Fault.rateLimited(30)); // cap (max-delay) is 1.5 s
        long start = System.nanoTime();
        Response r = post(body("chat", false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertAnsweredBy(r, "secondary", secondary, "2", "true");
        // Waiting out the Retry-After would take 30 s: half that is a bound no loaded machine reaches. A wait
        // capped at max-delay would end in a retry, which the counts rule out.
        assertTrue(millis < 15_000, "took " + millis + " ms: half the 30 s Retry-After it must not wait");
        assertCounts(1, 1);
    }

    @Test
    void contextLengthExceededGoesToTheNextModelWithoutRetry() {
        primary.setFault(Fault.contextLengthExceeded());
        assertAnsweredBy(post(body("chat", false)), "secondary", secondary, "2", "true");
        assertCounts(1, 1);
    }

    @Test
    void contentPolicyRefusalReachesTheCallerWithItsReasonAndNoFallback() {
        primary.setFault(Fault.contentPolicy());
        Response r = post(body("chat", false));
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.jsonPath().getString("detail").contains("rejected as a result of our safety system"), r.asString());
        assertEquals(r.jsonPath().getString("detail"), r.jsonPath().getString("error.message"));
        assertEquals(400, r.jsonPath().getInt("upstream_status"));
        assertEquals("content_policy", r.jsonPath().getString("attempts[0].outcome"));
        assertCounts(1, 0);
    }

    @Test
    void contentPolicyFallsOverWhenTheChainAllowsIt() {
        primary.setFault(Fault.contentPolicy());
        assertAnsweredBy(post(body("lenient", false)), "secondary", secondary, "2", "true");
        assertCounts(1, 1);
    }

    @Test
    void aSilentModelCostsOneTimeoutThenTheNextModelAnswers() {
        primary.setFault(Fault.hang());
        long start = System.nanoTime();
        Response r = post(body("chat", false));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertAnsweredBy(r, "secondary", secondary, "2", "true");
        // One attempt timeout, not two: less than twice it, however loaded the machine.
        assertTrue(millis >= attemptTimeoutMillis() - 100 && millis < 2 * attemptTimeoutMillis(),
                "one " + attemptTimeoutMillis() + " ms timeout, took " + millis + " ms");
        assertCounts(1, 1);
    }

    @Test
    void everyModelFailingGivesAProblemWithTheUpstreamReason() {
        primary.setFault(Fault.serviceUnavailable());
        secondary.setFault(Fault.serviceUnavailable());
        Response r = post(body("chat", false));
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("The server is currently overloaded, please try again later.", r.jsonPath().getString("detail"));
        assertEquals(503, r.jsonPath().getInt("upstream_status"));
        assertEquals(6, r.jsonPath().getList("attempts").size());
        assertEquals("6", r.header("x-breakwater-attempts"));
        assertCounts(3, 3);
    }

    @Test
    void fallbacksInTheBodyAppendModels() {
        primary.setFault(Fault.serviceUnavailable());
        Response alone = post(body("primary", false));
        assertEquals(502, alone.statusCode(), alone.asString());
        assertCounts(3, 0);

        primary.clearRecordings();
        breakers.all().forEach(dev.breakwater.resilience.ResilientClient::reset); // those three failures opened it
        Response withFallback = post(body("primary", false, ",\"fallbacks\":[\"secondary\"]"));
        assertAnsweredBy(withFallback, "secondary", secondary, "4", "true");
        assertCounts(3, 1);
    }

    @Test
    void unknownModelIsA400ListingWhatIsAvailable() {
        Response r = post(body("gpt-5-turbo-max", false));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        List<String> available = r.jsonPath().getList("available");
        assertEquals(Set.of("default", "categorizer", "chat", "lenient", "mixed", "primary", "secondary", "claude", "openai/*"),
                Set.copyOf(available));
        assertCounts(0, 0);
    }

    @Test
    void theLocalModelOnlyCategorizesSoChatChainsLeaveItOut() {
        Response direct = post(body("local", false));
        assertEquals(400, direct.statusCode(), direct.asString());
        assertTrue(direct.jsonPath().getString("detail").contains("only answers categorization requests"));

        primary.setFault(Fault.serviceUnavailable());
        secondary.setFault(Fault.serviceUnavailable());
        Response chain = post(body("chat", false)); // chat = [primary, secondary, local]
        assertEquals(502, chain.statusCode(), chain.asString());
        assertTrue(chain.jsonPath().getList("attempts.model").stream().noneMatch("local"::equals), chain.asString());
        assertEquals("closed", breakers.find("local").orElseThrow().state().id());
    }

    @Test
    void prefixRouteForwardsTheRestOfTheIdWithItsOwnBreaker() {
        Response r = post(body("openai/gpt-4o-mini", false));
        assertAnsweredBy(r, "openai/gpt-4o-mini", routed, "1", "false");
        assertEquals("gpt-4o-mini", routed.lastRequest().model());
        assertTrue(breakers.find("openai/gpt-4o-mini").isPresent());
        assertEquals(1, routed.requestCount());
        assertCounts(0, 0);
    }

    @Test
    void routedModelFailsOverToFallbacks() {
        routed.setFault(Fault.invalidApiKey());
        Response r = post(body("openai/gpt-4o-mini", false, ",\"fallbacks\":[\"chat\"]"));
        assertAnsweredBy(r, "primary", primary, "2", "true");
        assertEquals(1, routed.requestCount()); // a 401 is not retried
        assertCounts(1, 0);
    }

    @Test
    void modelsListsChainsChatModelsAndEmbeddingsModels() {
        List<String> ids = given().when().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
        assertEquals(Set.of("default", "categorizer", "chat", "lenient", "mixed", "primary", "secondary", "claude",
                "embeddings", "offline-embeddings", "local", "embed-primary", "embed-secondary", "embed-other"), Set.copyOf(ids));
        assertEquals(14, ids.size());
    }

    /**
     * Contract changed with the pass-through (issue 10): {@code n > 1} used to be refused and is now
     * the model's business, forwarded as sent. Only the gateway's own fields are checked here.
     */
    @Test
    void optionsOfTheModelAreForwardedAndOnlyTheGatewaysOwnFieldsAreChecked() {
        Response n = post(body("chat", false, ",\"n\":2"));
        assertEquals(200, n.statusCode(), n.asString());
        assertEquals(2, primary.lastRequest().json().path("n").asInt());
        Response noMessages = post("{\"model\":\"chat\",\"messages\":[]}");
        assertEquals(400, noMessages.statusCode());
        assertEquals("messages", noMessages.jsonPath().getString("field"));
        assertEquals("messages", noMessages.jsonPath().getString("error.param"));
        assertCounts(1, 0);
    }

    static void assertAnsweredBy(Response r, String model, dev.breakwater.testing.FakeUpstream upstream,
                                 String attempts, String degraded) {
        assertEquals(200, r.statusCode(), r.asString());
        JsonPath json = r.jsonPath();
        assertEquals(answerOf(upstream), json.getString("choices[0].message.content"), r.asString());
        assertEquals(model, json.getString("model"));
        assertEquals(upstream.lastUsage().promptTokens(), json.getInt("usage.prompt_tokens"));
        assertEquals(upstream.lastUsage().completionTokens(), json.getInt("usage.completion_tokens"));
        assertEquals(model, r.header("x-breakwater-model"));
        assertEquals(attempts, r.header("x-breakwater-attempts"));
        assertEquals(degraded, r.header("x-breakwater-degraded"));
    }
}
