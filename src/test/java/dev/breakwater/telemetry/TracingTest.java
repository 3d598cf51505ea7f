package dev.breakwater.telemetry;

import dev.breakwater.testing.ChainGatewayTest;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.RecordedRequest;
import dev.breakwater.testing.Upstreams;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static dev.breakwater.testing.Upstreams.primary;
import static dev.breakwater.testing.Upstreams.secondary;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traces of a categorize request that fails over, exported in process. */
@QuarkusTest
@TestProfile(TracingProfile.class)
@WithTestResource(Upstreams.class)
class TracingTest extends ChainGatewayTest {

    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation");

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void clean() throws InterruptedException {
        // A server span ends a moment after its client has the answer (on a loaded machine, a long moment): let
        // the spans of earlier requests (the warm-up, the last test) finish before starting from none.
        int seen = -1;
        for (int quiet = 0; quiet < 5; ) {
            int now = spans.getFinishedSpanItems().size();
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
            Thread.sleep(100);
        }
        spans.reset();
        // Spans of the warm-up (ChainGatewayTest) can still arrive after the reset: a test reads only its own requests.
        since = java.time.Instant.now();
    }

    private java.time.Instant since;

    @Test
    void aFailoverIsOneTraceWithAGenAiSpanPerAttemptAndTheUpstreamsJoinIt() throws Exception {
        primary.setFault(Fault.serviceUnavailable());
        String text = "Delta flight tickets for the sales team " + UUID.randomUUID();
        categorize(text).statusCode(200).body("model", equalTo("secondary"));

        SpanData server = awaitSpan(this::isCategorizeRequest);
        List<SpanData> attempts = spansOf(server.getTraceId()).stream()
                .filter(s -> s.getAttributes().get(AttemptTracing.OPERATION) != null).toList();
        assertEquals(List.of("chat primary", "chat secondary"), attempts.stream()
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).map(SpanData::getName).toList());

        SpanData failed = named(attempts, "chat primary");
        SpanData answered = named(attempts, "chat secondary");
        for (SpanData attempt : attempts) {
            assertEquals(server.getSpanId(), attempt.getParentSpanId(), attempt.getName() + " is a child of the server span");
            assertEquals(SpanKind.CLIENT, attempt.getKind());
            assertEquals("chat", attempt.getAttributes().get(AttemptTracing.OPERATION));
            assertEquals("openai", attempt.getAttributes().get(AttemptTracing.PROVIDER));
            assertEquals("closed", attempt.getAttributes().get(AttemptTracing.BREAKER_STATE));
            assertEquals("llm", attempt.getAttributes().get(AttemptTracing.SOURCE));
            assertEquals(false, attempt.getAttributes().get(AttemptTracing.DEGRADED));
        }
        assertEquals("gpt-4o", failed.getAttributes().get(AttemptTracing.REQUEST_MODEL));
        assertEquals("error", failed.getAttributes().get(AttemptTracing.OUTCOME));
        assertEquals(503L, failed.getAttributes().get(AttemptTracing.HTTP_STATUS));

        assertEquals("gpt-3.5-turbo", answered.getAttributes().get(AttemptTracing.REQUEST_MODEL));
        assertEquals("ok", answered.getAttributes().get(AttemptTracing.OUTCOME));
        assertEquals("gpt-3.5-turbo", answered.getAttributes().get(AttemptTracing.RESPONSE_MODEL));
        assertEquals(List.of("stop"), answered.getAttributes().get(AttemptTracing.FINISH_REASONS));
        assertTrue(answered.getAttributes().get(AttemptTracing.INPUT_TOKENS) > 0);
        assertTrue(answered.getAttributes().get(AttemptTracing.OUTPUT_TOKENS) > 0);

        // The cache's Redis commands are spans of the same request.
        assertTrue(spansOf(server.getTraceId()).stream().anyMatch(s -> "redis".equals(s.getAttributes().get(DB_SYSTEM))
                && "get".equals(s.getAttributes().get(DB_OPERATION)) && s.getParentSpanId().equals(server.getSpanId())),
                "no Redis GET span under the server span");

        assertEquals("llm", server.getAttributes().get(AttemptTracing.SOURCE));
        assertEquals(false, server.getAttributes().get(AttemptTracing.DEGRADED));

        // Each upstream received the trace, from an HTTP client span inside its attempt's span.
        assertEquals(failed.getSpanId(), httpSpanUnder(server.getTraceId(), primary.lastRequest()).getParentSpanId());
        assertEquals(answered.getSpanId(), httpSpanUnder(server.getTraceId(), secondary.lastRequest()).getParentSpanId());

        // The caller's text is not recorded anywhere without breakwater.telemetry.record-content.
        for (SpanData span : spansOf(server.getTraceId())) {
            span.getAttributes().forEach((key, value) ->
                    assertFalse(String.valueOf(value).contains("Delta flight"), span.getName() + " " + key + " holds the text"));
            assertTrue(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")) == null);
        }
    }

    @Test
    void logLinesWrittenDuringARequestCarryItsTraceId() throws Exception {
        primary.setFault(Fault.serviceUnavailable());
        try (LogCapture log = LogCapture.of(BreakerTransitionLog.CATEGORY)) {
            // The test chain's primary opens after 3 failures; tried once per request, the third request opens it.
            for (int i = 0; i < 3; i++) {
                categorize("Hotel nights in Lyon " + UUID.randomUUID()).statusCode(200);
            }
            awaitSpan(s -> spans.getFinishedSpanItems().stream().filter(this::isCategorizeRequest).count() == 3);
            SpanData third = spans.getFinishedSpanItems().stream().filter(this::isCategorizeRequest)
                    .max(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).orElseThrow();
            LogCapture.Entry opened = log.entries().stream().filter(e -> "ERROR".equals(e.level())).findFirst()
                    .orElseThrow(() -> new AssertionError("the primary's breaker did not open: " + log.entries()));
            assertEquals(third.getTraceId(), opened.mdc().get("traceId"), opened.toString());
            assertNotNull(opened.mdc().get("spanId"), opened.toString());
        }
    }

    @Test
    void theLatencyHistogramCarriesTheTraceIdAsAnExemplar() throws Exception {
        categorize("Train tickets to Berlin " + UUID.randomUUID()).statusCode(200);
        SpanData server = awaitSpan(this::isCategorizeRequest);
        // The Accept header Prometheus sends when it scrapes.
        String exposition = given().accept("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                        + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1").get("/q/metrics").then()
                .statusCode(200).extract().asString();
        assertTrue(exposition.lines().anyMatch(l -> l.startsWith("breakwater_request_duration_seconds_bucket")
                        && l.contains("trace_id=\"" + server.getTraceId() + "\"")),
                "no exemplar with trace " + server.getTraceId() + " on breakwater_request_duration_seconds");
    }

    @Test
    void aPassedThroughChatAnswerIsReadIntoItsAttemptSpan() throws Exception {
        primary.setFault(Fault.serviceUnavailable());
        given().contentType("application/json")
                .body("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Taxi to the airport\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/v1/chat/completions"));
        List<SpanData> attempts = spansOf(server.getTraceId()).stream()
                .filter(s -> s.getAttributes().get(AttemptTracing.OPERATION) != null).toList();
        SpanData answered = named(attempts, "chat secondary");
        assertEquals("ok", answered.getAttributes().get(AttemptTracing.OUTCOME));
        assertEquals("gpt-3.5-turbo", answered.getAttributes().get(AttemptTracing.RESPONSE_MODEL));
        assertEquals(List.of("stop"), answered.getAttributes().get(AttemptTracing.FINISH_REASONS));
        assertTrue(answered.getAttributes().get(AttemptTracing.OUTPUT_TOKENS) > 0);
        assertEquals("error", named(attempts, "chat primary").getAttributes().get(AttemptTracing.OUTCOME));
        // Sent from the event loop, each try's upstream request still joins the trace inside its attempt's span.
        assertEquals(named(attempts, "chat primary").getSpanId(), httpSpanUnder(server.getTraceId(), primary.lastRequest()).getParentSpanId());
        assertEquals(answered.getSpanId(), httpSpanUnder(server.getTraceId(), secondary.lastRequest()).getParentSpanId());
        for (SpanData span : spansOf(server.getTraceId())) {
            span.getAttributes().forEach((key, value) ->
                    assertFalse(String.valueOf(value).contains("Taxi to the airport"), span.getName() + " " + key + " holds the text"));
        }
    }

    /** The span named as parent by the W3C {@code traceparent} the upstream received: a client span of {@code traceId}. */
    private SpanData httpSpanUnder(String traceId, RecordedRequest request) {
        String header = request.header("traceparent");
        assertNotNull(header, "no traceparent reached the upstream");
        String[] parts = header.split("-");
        assertEquals(4, parts.length, header);
        assertEquals(traceId, parts[1], "the upstream was called outside the request's trace");
        SpanData http = spansOf(traceId).stream().filter(s -> s.getSpanId().equals(parts[2])).findFirst()
                .orElseThrow(() -> new AssertionError("traceparent names no exported span: " + header));
        assertEquals(SpanKind.CLIENT, http.getKind());
        return http;
    }

    private boolean isCategorizeRequest(SpanData span) {
        return span.getKind() == SpanKind.SERVER && span.getName().contains("/v1/categorize")
                && span.getStartEpochNanos() >= since.getEpochSecond() * 1_000_000_000L + since.getNano();
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private SpanData awaitSpan(java.util.function.Predicate<SpanData> match) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            var found = spans.getFinishedSpanItems().stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }
}
