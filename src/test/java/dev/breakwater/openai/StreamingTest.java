package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.breakwater.testing.Upstreams;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streamed completions: every way an upstream stream can break makes the attempt fail before the
 * caller sees a byte, and the caller gets one whole answer from the model that completed.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class StreamingTest extends OpenAiApiTest {

    @Test
    void aWholeStreamIsPassedOnEndingWithDone() {
        Response r = post(body("chat", true));
        SseBody sse = assertStreamedBy(r, "primary", primary, "1", "false");
        assertTrue(sse.chunks().size() > 3, "streamed in pieces: " + sse.data());
        assertTrue(primary.lastRequest().stream(), "the upstream was asked to stream");
        assertCounts(1, 0);
    }

    /**
     * A whole stream gives its upstream connection back to the pool: resetting it after [DONE] closed
     * the connection, a new one per streamed call, and one the pool had meanwhile lent to another call
     * failed that call (502 "connection failed").
     */
    @Test
    void wholeStreamsKeepTheirUpstreamConnection() {
        post(body("chat", true)); // the pool may hold no connection to the primary yet
        int before = primary.connectionsAccepted();
        for (int call = 0; call < 5; call++) {
            assertStreamedBy(post(body("chat", true)), "primary", primary, "1", "false");
            assertEquals(200, post(body("chat", false)).statusCode());
        }
        assertEquals(0, primary.connectionsAccepted() - before, "ten sequential calls reuse the pooled connection");
    }

    @Test
    void headersButNoFirstTokenFailsOverAfterTheFirstTokenTimeout() {
        primary.setFault(Fault.headersThenSilence());
        long start = System.nanoTime();
        Response r = post(body("chat", true));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertStreamedBy(r, "secondary", secondary, "2", "true");
        // Measured on the fakes' clock (primary's request to secondary's), free of client overhead: the
        // first-token timeout (1 s) moved on, not the attempt timeout (3 s).
        long firstToken = config.openai().firstTokenTimeout().toMillis();
        long gap = secondary.requests().get(0).at().toEpochMilli() - primary.requests().get(0).at().toEpochMilli();
        assertTrue(millis >= firstToken - 20 && gap >= firstToken - 20 && gap < attemptTimeoutMillis(),
                "first-token timeout " + firstToken + " ms, attempt timeout " + attemptTimeoutMillis() + " ms; moved on after " + gap);
        assertCounts(1, 1); // a silent model is not retried
    }

    @Test
    void silenceMidAnswerFailsOverAfterTheIdleTimeout() {
        primary.setFault(Fault.streamStallAfter(2, Duration.ofSeconds(5)));
        long start = System.nanoTime();
        Response r = post(body("chat", true));
        long millis = (System.nanoTime() - start) / 1_000_000;
        SseBody sse = assertStreamedBy(r, "secondary", secondary, "2", "true");
        assertFalse(sse.content().contains("(primary)"));
        long gap = secondary.requests().get(0).at().toEpochMilli() - primary.requests().get(0).at().toEpochMilli();
        assertTrue(gap < attemptTimeoutMillis(), "idle timeout " + config.openai().idleTimeout().toMillis() + " ms, attempt timeout "
                + attemptTimeoutMillis() + " ms; moved on after " + gap + " ms (" + millis + " ms in all)");
        assertCounts(1, 1);
    }

    @Test
    void aPauseShorterThanTheIdleTimeoutIsFine() {
        primary.setFault(Fault.streamStallAfter(2, Duration.ofMillis(100)));
        assertStreamedBy(post(body("chat", true)), "primary", primary, "1", "false");
        assertCounts(1, 0);
    }

    @Test
    void aCutStreamIsRetriedThenRestartedCleanlyOnTheNextModel() {
        primary.setFault(Fault.streamCutAfter(2));
        Response r = post(body("chat", true));
        SseBody sse = assertStreamedBy(r, "secondary", secondary, "4", "true");
        assertFalse(sse.content().contains("Paris is the capital of France. (primary)"));
        assertCounts(3, 1); // a cut is transient: retried twice on the same model, then the next one
        // No prefill: the next model gets exactly the caller's messages, no partial assistant turn.
        JsonNode messages = secondary.lastRequest().json().path("messages");
        assertEquals(2, messages.size());
        messages.forEach(m -> assertFalse(m.path("role").asText().equals("assistant")));
        assertEquals(primary.requests().get(0).json().path("messages"), messages);
    }

    @Test
    void oneMalformedEventIsSkippedWhenTheRestCompletes() {
        primary.setFault(Fault.streamMalformedEvent(2));
        assertStreamedBy(post(body("chat", true)), "primary", primary, "1", "false");
        assertCounts(1, 0);
    }

    @Test
    void aSecondMalformedEventFailsTheAttempt() {
        String finish = "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"},\"finish_reason\":\"stop\"}]}\n\n";
        primary.setFault(Fault.rawBody(200, "text/event-stream", "data: {bad\n\ndata: {worse\n\n" + finish + "data: [DONE]\n\n"));
        assertStreamedBy(post(body("chat", true)), "secondary", secondary, "2", "true");
        assertCounts(1, 1); // a bad answer is not retried on the same model
    }

    @Test
    void aFinishedStreamWithoutDoneIsComplete() {
        primary.setFault(Fault.streamNoDone());
        assertStreamedBy(post(body("chat", true)), "primary", primary, "1", "false");
        assertCounts(1, 0);
    }

    @Test
    void serverErrorsFailOverBeforeAnyEvent() {
        primary.setFault(Fault.serviceUnavailable());
        assertStreamedBy(post(body("chat", true)), "secondary", secondary, "4", "true");
        assertCounts(3, 1);
    }

    @Test
    void anExhaustedChainIsAProblemDocumentNotAStream() {
        primary.setFault(Fault.contentPolicy());
        Response r = post(body("chat", true));
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertFalse(r.asString().contains("data:"));
        assertTrue(r.jsonPath().getString("detail").contains("safety system"), r.asString());
        assertCounts(1, 0);
    }

    @Test
    void anAnthropicFallbackAnswersAStreamedRequest() {
        primary.setFault(Fault.headersThenSilence());
        claude.fixedUsage(5, 9);
        Response r = post(body("mixed", true));
        SseBody sse = assertStreamedBy(r, "claude", claude, "2", "true");
        assertEquals(14, sse.usage().path("total_tokens").asInt());
        assertEquals(1, claude.requestCount());
        assertCounts(1, 0);
    }

    @Test
    void anEmptyAnswerFailsTheQualityCheck() {
        primary.respondWith("");
        assertStreamedBy(post(body("chat", true)), "secondary", secondary, "2", "true");
        assertCounts(1, 1);
    }

    static SseBody assertStreamedBy(Response r, String model, FakeUpstream upstream, String attempts, String degraded) {
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        SseBody sse = SseBody.parse(r.asString());
        assertEquals(answerOf(upstream), sse.content(), r.asString());
        assertEquals("stop", sse.finishReason());
        assertTrue(sse.endsWithDone(), r.asString());
        assertEquals(java.util.List.of(model), sse.models());
        assertEquals(upstream.lastUsage().promptTokens(), sse.usage().path("prompt_tokens").asInt());
        assertEquals(upstream.lastUsage().completionTokens(), sse.usage().path("completion_tokens").asInt());
        assertEquals(model, r.header("x-breakwater-model"));
        assertEquals(attempts, r.header("x-breakwater-attempts"));
        assertEquals(degraded, r.header("x-breakwater-degraded"));
        return sse;
    }
}
