package dev.breakwater.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.Attempt;
import dev.breakwater.chain.AttemptObserver;
import dev.breakwater.chain.AttemptOutcome;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.Provider;
import dev.breakwater.config.TestGatewayConfig;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ChatTurn;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attempt spans on a real SDK tracer: what they carry, and message content only when switched on. */
class AttemptTracingTest {

    private static final ChatPrompt PROMPT = new ChatPrompt(List.of(new ChatTurn("user", "Invoice for 40 train tickets")),
            null, null, Optional.empty());
    private static final ModelEndpoint GPT = new ModelEndpoint("gpt-4o", Provider.OPENAI, "gpt-4o-2024", null, null, null);
    private static final ModelChain CHAIN = new ModelChain("categorizer", List.of(GPT), false, 0.6);

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();

    private AttemptTracing tracing(boolean recordContent) {
        return new AttemptTracing(provider.get("test"),
                TestGatewayConfig.of(Map.of("telemetry.record-content", Boolean.toString(recordContent))), new ObjectMapper(), false);
    }

    @Test
    void aSuccessfulTryCarriesTheReplyAndIsCurrentWhileItRuns() {
        AttemptObserver.Try attempt = tracing(false).started(CHAIN, GPT);
        String current = Span.current().getSpanContext().getSpanId();
        attempt.replied(PROMPT, new ModelReply("{\"category\":\"6\"}", "stop", new TokenUsage(120, 9), "gpt-4o-2024-08-06"));
        attempt.ended(new Attempt("gpt-4o", "openai", AttemptOutcome.OK, 12, null, null));

        SpanData span = exported.getFinishedSpanItems().get(0);
        assertEquals(span.getSpanId(), current, "the upstream call runs inside the attempt's span");
        assertFalse(Span.current().getSpanContext().isValid(), "the span is no longer current once the try ended");
        assertEquals("chat gpt-4o", span.getName());
        assertEquals("gpt-4o-2024", span.getAttributes().get(AttemptTracing.REQUEST_MODEL));
        assertEquals("gpt-4o-2024-08-06", span.getAttributes().get(AttemptTracing.RESPONSE_MODEL));
        assertEquals(120L, span.getAttributes().get(AttemptTracing.INPUT_TOKENS));
        assertEquals(9L, span.getAttributes().get(AttemptTracing.OUTPUT_TOKENS));
        assertEquals(List.of("stop"), span.getAttributes().get(AttemptTracing.FINISH_REASONS));
        assertEquals("ok", span.getAttributes().get(AttemptTracing.OUTCOME));
        assertNull(span.getAttributes().get(AttemptTracing.INPUT_MESSAGES), "content is off by default");
        assertNull(span.getAttributes().get(AttemptTracing.OUTPUT_MESSAGES));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    }

    @Test
    void messagesAreRecordedOnlyWhenSwitchedOn() {
        AttemptObserver.Try attempt = tracing(true).started(CHAIN, GPT);
        attempt.replied(PROMPT, new ModelReply("{\"category\":\"6\"}", "stop", TokenUsage.NONE, "gpt-4o"));
        attempt.ended(new Attempt("gpt-4o", "openai", AttemptOutcome.OK, 12, null, null));

        SpanData span = exported.getFinishedSpanItems().get(0);
        assertTrue(span.getAttributes().get(AttemptTracing.INPUT_MESSAGES).contains("Invoice for 40 train tickets"));
        assertTrue(span.getAttributes().get(AttemptTracing.OUTPUT_MESSAGES).contains("{\\\"category\\\":\\\"6\\\"}"));
    }

    @Test
    void failedAndSkippedTriesAreErrorSpansWithTheirOutcome() {
        AttemptTracing tracing = tracing(false);
        tracing.started(CHAIN, GPT).ended(new Attempt("gpt-4o", "openai", AttemptOutcome.ERROR, 40, 503, "overloaded"));
        tracing.skipped(CHAIN, GPT, new Attempt("gpt-4o", "openai", AttemptOutcome.SKIPPED_OPEN_CIRCUIT, 0, null, null));

        SpanData failed = exported.getFinishedSpanItems().get(0);
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertEquals("overloaded", failed.getStatus().getDescription());
        assertEquals("503", failed.getAttributes().get(AttemptTracing.ERROR_TYPE));
        assertEquals(503L, failed.getAttributes().get(AttemptTracing.HTTP_STATUS));
        SpanData skipped = exported.getFinishedSpanItems().get(1);
        assertEquals("skipped_open_circuit", skipped.getAttributes().get(AttemptTracing.OUTCOME));
        assertEquals("skipped_open_circuit", skipped.getAttributes().get(AttemptTracing.ERROR_TYPE));
    }
}
