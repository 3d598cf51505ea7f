package dev.breakwater.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.Attempt;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.warmup.WarmUpState;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One JSON line per {@code /v1} request on the category {@value #CATEGORY}, whatever answered it: a
 * resource, an exception mapper or a body-size filter. Also publishes each request as a
 * {@link RequestRecord} event (request metrics, {@code /status}).
 * <p>
 * It works at the HTTP layer, before any resource, so that no request escapes it: it gives each
 * request an id (the caller's {@code x-request-id} when it is sane, else a fresh one) and echoes it
 * in the response's {@code x-request-id}; the resource adds what it learns through the request's
 * {@link RequestTrace}; the line is written when the response headers go out (so metrics are in
 * before the caller sees the answer), or with status 499 when the caller hung up first.
 * <p>
 * The line never holds message content, inputs or keys: only ids, names, outcomes, numbers, and the
 * model name the caller asked for (JSON-escaped, cut at 256 characters).
 */
@Singleton
public class RequestLog {

    public static final String CATEGORY = "dev.breakwater.requests";
    public static final String REQUEST_ID_HEADER = "x-request-id";
    /** What an incoming request id may look like; anything else (too long, control characters, spaces) is replaced. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");
    private static final int MAX_MODEL_CHARS = 256;
    private static final int CLIENT_CLOSED = 499;
    /** Runs before every other HTTP filter, so even an early refusal is logged. */
    private static final int PRIORITY = 1_000_000;
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final ObjectMapper json;
    private final Event<RequestRecord> published;
    private final WarmUpState warmUp;

    public RequestLog(ObjectMapper json, Event<RequestRecord> published, WarmUpState warmUp) {
        this.json = json;
        this.published = published;
        this.warmUp = warmUp;
    }

    void register(@Observes Filters filters) {
        filters.register(this::trace, PRIORITY);
    }

    private void trace(RoutingContext routing) {
        String path = routing.normalizedPath();
        // The warm-up's own requests are not callers': no line, no metrics.
        if (path.startsWith("/v1/") && !warmUp.isWarmUp(routing.request().getHeader(WarmUpState.HEADER))) {
            RequestTrace trace = new RequestTrace(requestId(routing.request().getHeader(REQUEST_ID_HEADER)), endpoint(path),
                    System.nanoTime());
            routing.put(RequestTrace.KEY, trace);
            AtomicBoolean done = new AtomicBoolean();
            routing.addHeadersEndHandler(v -> {
                routing.response().putHeader(REQUEST_ID_HEADER, trace.requestId());
                if (done.compareAndSet(false, true)) {
                    record(trace, routing.response().getStatusCode());
                }
            });
            routing.addEndHandler(end -> {
                if (done.compareAndSet(false, true)) {
                    record(trace, CLIENT_CLOSED);
                }
            });
        }
        routing.next();
    }

    private void record(RequestTrace trace, int status) {
        try {
            record(new RequestRecord(trace.requestId(), trace.endpoint(), trace.modelAsked(), status,
                    Duration.ofNanos(System.nanoTime() - trace.startNanos()), trace.outcome()));
        } catch (RuntimeException e) {
            // The answer is on its way: a telemetry bug must not turn it into an error.
            LOG.warnf("request %s not recorded: %s", trace.requestId(), e.toString());
        }
    }

    /**
     * Writes the line and publishes the record. The flat fields also travel as MDC entries, so the
     * JSON console format ({@code quarkus.log.console.json.enabled=true}) shows them as keys too.
     * With the category above INFO, nothing of the line is built.
     */
    public void record(RequestRecord record) {
        if (LOG.isInfoEnabled()) {
            log(record);
        }
        published.fire(record);
    }

    private void log(RequestRecord record) {
        String answered = record.outcome().map(RequestOutcome::modelAnswered).orElse(null);
        MDC.put("request_id", record.requestId());
        MDC.put("endpoint", record.endpoint());
        MDC.put("status", Integer.toString(record.status()));
        if (answered != null) {
            MDC.put("model_answered", answered);
        }
        try {
            LOG.info(line(record));
        } finally {
            MDC.remove("request_id");
            MDC.remove("endpoint");
            MDC.remove("status");
            MDC.remove("model_answered");
        }
    }

    /** Written field by field: a tree of nodes per request cost more than the rest of the line. */
    String line(RequestRecord r) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("endpoint", r.endpoint());
            g.writeStringField("model_asked", abbreviate(r.modelAsked()));
            g.writeNumberField("status", r.status());
            g.writeNumberField("latency_ms", r.latency().toMillis());
            if (r.outcome().isPresent()) {
                outcome(g, r.outcome().get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void outcome(JsonGenerator g, RequestOutcome o) throws IOException {
        g.writeStringField("model_answered", o.modelAnswered());
        g.writeStringField("source", o.source());
        g.writeBooleanField("degraded", o.degraded());
        g.writeArrayFieldStart("attempts");
        for (Attempt a : o.attempts()) {
            g.writeStartObject();
            g.writeStringField("model", a.model());
            g.writeStringField("outcome", a.outcome().id());
            g.writeNumberField("latency_ms", a.latencyMs());
            if (a.httpStatus() != null) {
                g.writeNumberField("http_status", a.httpStatus());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        int prompt = 0;
        int completion = 0;
        g.writeObjectFieldStart("tokens");
        for (Map.Entry<String, TokenUsage> e : o.tokens().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("prompt", e.getValue().promptTokens());
            g.writeNumberField("completion", e.getValue().completionTokens());
            g.writeEndObject();
            prompt += e.getValue().promptTokens();
            completion += e.getValue().completionTokens();
        }
        g.writeEndObject();
        g.writeNumberField("prompt_tokens", prompt);
        g.writeNumberField("completion_tokens", completion);
    }

    static String requestId(String incoming) {
        if (incoming != null && SANE_ID.matcher(incoming).matches()) {
            return incoming;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    static String endpoint(String path) {
        if (path.equals("/v1/chat/completions")) {
            return "chat";
        }
        if (path.equals("/v1/embeddings")) {
            return "embeddings";
        }
        if (path.equals("/v1/categorize")) {
            return "categorize";
        }
        if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
            return "models";
        }
        return path.startsWith("/v1/factors/") ? "factors" : "other";
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= MAX_MODEL_CHARS ? s : s.substring(0, MAX_MODEL_CHARS) + "…";
    }
}
