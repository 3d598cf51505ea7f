package dev.breakwater.telemetry;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.testing.ProviderUpstreams;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.breakwater.testing.ProviderUpstreams.bedrock;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A whole answer from an upstream whose try runs on a thread of its own (Bedrock: its credential
 * lookup may block) still joins the caller's trace, inside its attempt's span, as one sent from the
 * event loop does (TracingTest).
 */
@QuarkusTest
@TestProfile(ProviderTracingTest.Traced.class)
@WithTestResource(ProviderUpstreams.class)
class ProviderTracingTest {

    /** The providers' gateway (providers-gateway.yaml) with tracing on, as {@link TracingProfile} sets it. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new ProviderUpstreams.Profile().getConfigOverrides());
            config.putAll(new TracingProfile().getConfigOverrides());
            config.remove("breakwater.models[0].retry.max-retries");
            return config;
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Inject
    BreakerRegistry breakers;

    @BeforeEach
    void pristine() {
        ProviderUpstreams.pristine(breakers);
        spans.reset();
    }

    @Test
    void aBedrockAnswerJoinsTheTraceInsideItsAttemptSpan() throws Exception {
        long since = (System.currentTimeMillis() - 5) * 1_000_000L; // spans of earlier requests (a warm-up) start seconds before
        given().contentType("application/json")
                .body("{\"model\":\"claude-bedrock\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/v1/chat/completions")
                && s.getStartEpochNanos() >= since);
        SpanData attempt = awaitSpan(s -> s.getTraceId().equals(server.getTraceId()) && s.getAttributes().get(AttemptTracing.OPERATION) != null);
        assertEquals("ok", attempt.getAttributes().get(AttemptTracing.OUTCOME));

        String header = bedrock.lastRequest().header("traceparent");
        assertNotNull(header, "no traceparent reached the upstream");
        String[] parts = header.split("-");
        assertEquals(server.getTraceId(), parts[1], "the upstream was called outside the request's trace");
        SpanData http = awaitSpan(s -> s.getSpanId().equals(parts[2]));
        assertEquals(SpanKind.CLIENT, http.getKind());
        assertEquals(attempt.getSpanId(), http.getParentSpanId(), "the upstream call is not inside its attempt's span");
    }

    private SpanData awaitSpan(java.util.function.Predicate<SpanData> match) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            List<SpanData> finished = spans.getFinishedSpanItems();
            for (SpanData span : finished) {
                if (match.test(span)) {
                    return span;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }
}
