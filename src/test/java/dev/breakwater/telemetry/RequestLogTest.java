package dev.breakwater.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One JSON line per {@code /v1} request on {@code dev.breakwater.requests}, the request id echoed,
 * and chat and embeddings in the request metrics and on {@code /status}: on the test chain of
 * loopback fakes (gateway-test.yaml).
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class RequestLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "sk-test-openai-0123456789";

    @Inject
    BreakerRegistry breakers;

    private static boolean warm;

    @BeforeEach
    void pristine() {
        if (!warm) {
            // The first calls after boot load the HTTP and JSON machinery and can outlast the attempt timeout.
            chat("warm-up", "primary", "hello");
            embed("warm-up", "{\"model\":\"embed-primary\",\"input\":\"hello\"}");
            warm = true;
        }
        GatewayTestSupport.cleanSlate(breakers, null);
    }

    private static Response chat(String requestId, String model, String text) {
        return given().contentType(ContentType.JSON).header("x-request-id", requestId)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
                .post("/v1/chat/completions");
    }

    private static Response embed(String requestId, String body) {
        return given().contentType(ContentType.JSON).header("x-request-id", requestId).body(body).post("/v1/embeddings");
    }

    @Test
    void oneLinePerRequestWithWhatHappenedAndNeverTheContentOrTheKey() throws Exception {
        String secret = "confidential-merger-plan-" + UUID.randomUUID();
        Upstreams.primary.setFault(Fault.serviceUnavailable());
        Upstreams.secondary.fixedUsage(12, 5);
        List<LogCapture.Entry> entries;
        Response chat;
        Response embedded;
        Response invalid;
        Response longId;
        try (LogCapture log = LogCapture.of(RequestLog.CATEGORY)) {
            chat = chat("chat-req.1", "chat", secret);
            embedded = embed("embed-req:2", "{\"model\":\"embeddings\",\"input\":[\"" + secret + "\"]}");
            invalid = embed("invalid-req-3", "{\"model\":\"embeddings\",\"input\":");
            longId = chat("x".repeat(200), "no-such-model", "hello");
            entries = log.entries();
        }
        assertEquals(200, chat.statusCode(), chat.asString());
        assertEquals("chat-req.1", chat.header("x-request-id"));
        assertEquals("embed-req:2", embedded.header("x-request-id"));
        assertEquals(400, invalid.statusCode());
        assertEquals("invalid-req-3", invalid.header("x-request-id"), "refused before any resource, still traced");
        String generated = longId.header("x-request-id");
        assertTrue(generated.matches("[0-9a-f]{32}"), "an insane incoming id is replaced: " + generated);

        assertEquals(4, entries.size(), entries.toString());
        for (LogCapture.Entry e : entries) {
            assertEquals("INFO", e.level());
            assertFalse(e.message().contains("\n"), "one line: " + e.message());
            assertFalse(e.message().contains(secret.substring(0, 20)), "no message content: " + e.message());
            assertFalse(e.message().contains(API_KEY), "no key: " + e.message());
        }

        assertEquals(java.util.Map.of("request_id", "chat-req.1", "endpoint", "chat", "status", "200", "model_answered", "secondary"),
                entries.get(0).mdc(), "the flat fields as MDC keys, for the JSON console format");
        JsonNode chatLine = JSON.readTree(entries.get(0).message());
        assertEquals("chat-req.1", chatLine.path("request_id").asText());
        assertEquals("chat", chatLine.path("endpoint").asText());
        assertEquals("chat", chatLine.path("model_asked").asText());
        assertEquals("secondary", chatLine.path("model_answered").asText());
        assertEquals("llm", chatLine.path("source").asText());
        assertTrue(chatLine.path("degraded").asBoolean());
        assertEquals(200, chatLine.path("status").asInt());
        assertTrue(chatLine.path("latency_ms").isIntegralNumber());
        assertEquals(List.of("error", "error", "error", "ok"), outcomes(chatLine));
        assertEquals(503, chatLine.path("attempts").get(0).path("http_status").asInt());
        assertEquals(12, chatLine.path("tokens").path("secondary").path("prompt").asInt());
        assertEquals(5, chatLine.path("completion_tokens").asInt());

        JsonNode embedLine = JSON.readTree(entries.get(1).message());
        assertEquals("embeddings", embedLine.path("endpoint").asText());
        assertEquals("embed-secondary", embedLine.path("model_answered").asText());
        assertEquals(List.of("error", "error", "error", "ok"), outcomes(embedLine));
        assertTrue(embedLine.path("prompt_tokens").asInt() > 0, embedLine.toString());

        JsonNode invalidLine = JSON.readTree(entries.get(2).message());
        assertEquals(400, invalidLine.path("status").asInt());
        assertFalse(invalidLine.has("attempts"), "no chain was walked");

        JsonNode unknownModel = JSON.readTree(entries.get(3).message());
        assertEquals(generated, unknownModel.path("request_id").asText());
        assertEquals(400, unknownModel.path("status").asInt());
    }

    @Test
    void chatAndEmbeddingsAreInTheRequestMetricsAndOnTheStatusPage() {
        Scrape before = Scrape.now();
        assertEquals(200, chat("metrics-chat", "chat", "hello").statusCode());
        assertEquals(200, embed("metrics-embed", "{\"model\":\"embeddings\",\"input\":\"hello there\"}").statusCode());
        Scrape after = Scrape.now();
        assertEquals(1, after.delta(before, "breakwater_request_duration_seconds_count", "endpoint", "chat", "model", "primary",
                "source", "llm"));
        assertEquals(1, after.delta(before, "breakwater_request_duration_seconds_count", "endpoint", "embeddings",
                "model", "embed-primary", "source", "llm"));
        assertEquals(1, after.delta(before, "breakwater_answers_total", "endpoint", "chat", "source", "llm", "degraded", "false"));
        assertEquals(1, after.delta(before, "breakwater_answers_total", "endpoint", "embeddings", "source", "llm", "degraded", "false"));
        assertEquals(1, after.delta(before, "breakwater_request_attempts_count", "endpoint", "embeddings"));
        assertEquals(2, after.delta(before, "breakwater_tokens_total", "model", "embed-primary", "type", "prompt"));

        String status = given().get("/status").then().statusCode(200).extract().asString();
        assertTrue(status.contains("<td>embeddings</td>"), "embeddings answers on /status");
        assertTrue(status.contains("<td>chat</td>"), "chat answers on /status");
    }

    private static List<String> outcomes(JsonNode line) {
        List<String> out = new java.util.ArrayList<>();
        line.path("attempts").forEach(a -> out.add(a.path("outcome").asText()));
        return out;
    }
}
