package dev.breakwater.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.Attempt;
import dev.breakwater.chain.AttemptObserver;
import dev.breakwater.chain.AttemptOutcome;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.GatewayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.opentelemetry.context.Scope;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client span per attempt, after OpenTelemetry's GenAI semantic conventions, as a child of the
 * request's server span. The span is current while the model is called, so the upstream request
 * carries its {@code traceparent}. Message content is recorded only with
 * {@code breakwater.telemetry.record-content: true}. With the SDK disabled (the default) every span is a no-op.
 */
@Singleton
public class AttemptTracing implements AttemptObserver {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("breakwater.attempt.outcome");
    static final AttributeKey<String> BREAKER_STATE = AttributeKey.stringKey("breakwater.breaker.state");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("breakwater.model");
    static final AttributeKey<String> CHAIN = AttributeKey.stringKey("breakwater.chain");
    static final AttributeKey<String> SOURCE = AttributeKey.stringKey("breakwater.source");
    static final AttributeKey<Boolean> DEGRADED = AttributeKey.booleanKey("breakwater.degraded");

    private final Tracer tracer;
    private final boolean recordContent;
    private final ObjectMapper json;
    /** With the SDK off every span is a no-op, but building one still cost ~3 % of a proxied call's CPU. */
    private final boolean tracing;

    public AttemptTracing(Tracer tracer, GatewayConfig config, ObjectMapper json,
                          @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this.tracer = tracer;
        this.recordContent = config.telemetry().recordContent();
        this.json = json;
        this.tracing = !sdkDisabled;
    }

    @Override
    public Try started(ModelChain chain, ModelEndpoint model) {
        if (!tracing) {
            return Try.NONE;
        }
        Span span = span(chain, model).startSpan();
        return new SpanTry(span, span.makeCurrent());
    }

    @Override
    public void skipped(ModelChain chain, ModelEndpoint model, Attempt attempt) {
        if (tracing) {
            end(span(chain, model).startSpan(), attempt);
        }
    }

    /**
     * Named "{operation} {model}" as the conventions ask. {@code breakwater.source} and
     * {@code breakwater.degraded} say what an answer of this model would be: a cloud model's is
     * {@code llm} and not degraded, the local model's is {@code local} and degraded.
     */
    private io.opentelemetry.api.trace.SpanBuilder span(ModelChain chain, ModelEndpoint model) {
        boolean cloud = model.provider().isCloud();
        var builder = tracer.spanBuilder("chat " + model.name())
                .setSpanKind(cloud ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setAttribute(OPERATION, "chat")
                .setAttribute(PROVIDER, model.provider().id())
                .setAttribute(REQUEST_MODEL, model.modelId())
                .setAttribute(MODEL, model.name())
                .setAttribute(CHAIN, chain.name())
                .setAttribute(SOURCE, cloud ? "llm" : "local")
                .setAttribute(DEGRADED, !cloud);
        if (model.resilience() != null) {
            builder.setAttribute(BREAKER_STATE, model.resilience().reportedState().id());
        }
        return builder;
    }

    private static void end(Span span, Attempt attempt) {
        span.setAttribute(OUTCOME, attempt.outcome().id());
        if (attempt.httpStatus() != null) {
            span.setAttribute(HTTP_STATUS, attempt.httpStatus().longValue());
        }
        if (attempt.outcome() != AttemptOutcome.OK) {
            // The conventions want the most specific error known: the HTTP status when there is one.
            span.setAttribute(ERROR_TYPE, attempt.httpStatus() != null ? attempt.httpStatus().toString() : attempt.outcome().id());
            span.setStatus(StatusCode.ERROR, attempt.reason() == null ? attempt.outcome().id() : attempt.reason());
        }
        span.end();
    }

    private final class SpanTry implements Try {
        private final Span span;
        private final Scope scope;
        private boolean scopeClosed;

        SpanTry(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        @Override
        public void replied(ChatPrompt prompt, ModelReply reply) {
            if (reply.model() != null) {
                span.setAttribute(RESPONSE_MODEL, reply.model());
            }
            if (reply.usage() != null) {
                span.setAttribute(INPUT_TOKENS, (long) reply.usage().promptTokens());
                span.setAttribute(OUTPUT_TOKENS, (long) reply.usage().completionTokens());
            }
            if (reply.finishReason() != null) {
                span.setAttribute(FINISH_REASONS, List.of(reply.finishReason()));
            }
            if (recordContent) {
                span.setAttribute(INPUT_MESSAGES, toJson(prompt.messages().stream()
                        .map(turn -> message(turn.role(), turn.content())).toList()));
                span.setAttribute(OUTPUT_MESSAGES, toJson(List.of(message("assistant", reply.content()))));
            }
        }

        @Override
        public void answered(ObjectNode request, ChatAnswer answer) {
            if (answer.model() != null) {
                span.setAttribute(RESPONSE_MODEL, answer.model());
            }
            span.setAttribute(INPUT_TOKENS, (long) answer.usage().promptTokens());
            span.setAttribute(OUTPUT_TOKENS, (long) answer.usage().completionTokens());
            List<String> finishReasons = new ArrayList<>();
            for (JsonNode part : answer.isStream() ? answer.chunks() : List.of(answer.completion())) {
                part.path("choices").forEach(choice -> {
                    if (choice.path("finish_reason").isTextual()) {
                        finishReasons.add(choice.path("finish_reason").asText());
                    }
                });
            }
            if (!finishReasons.isEmpty()) {
                span.setAttribute(FINISH_REASONS, finishReasons);
            }
            if (recordContent) {
                span.setAttribute(INPUT_MESSAGES, request.path("messages").toString());
                if (!answer.isStream()) {
                    List<JsonNode> messages = new ArrayList<>();
                    answer.completion().path("choices").forEach(choice -> messages.add(choice.path("message")));
                    span.setAttribute(OUTPUT_MESSAGES, messages.toString());
                }
            }
        }

        @Override
        public void ended(Attempt attempt) {
            try {
                end(span, attempt);
            } finally {
                detached();
            }
        }

        /** Closes the scope on the thread that opened it, once: an asynchronous try ends on another thread. */
        @Override
        public void detached() {
            if (!scopeClosed) {
                scopeClosed = true;
                scope.close();
            }
        }
    }

    /** The conventions' message shape: a role and its parts. */
    private static Map<String, Object> message(String role, String text) {
        return Map.of("role", role, "parts", List.of(Map.of("type", "text", "content", text == null ? "" : text)));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return "[]";
        }
    }
}
