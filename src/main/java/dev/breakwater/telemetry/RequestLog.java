package dev.breakwater.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.chain.Attempt;
import dev.breakwater.providers.TokenUsage;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    public RequestLog(ObjectMapper json, Event<RequestRecord> published) {
        this.json = json;
        this.published = published;
    }

    void register(@Observes Filters filters) {
        filters.register(this::trace, PRIORITY);
    }

    private void trace(RoutingContext routing) {
        String path = routing.normalizedPath();
        if (path.startsWith("/v1/")) {
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
     */
    public void record(RequestRecord record) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", record.requestId());
        fields.put("endpoint", record.endpoint());
        fields.put("status", Integer.toString(record.status()));
        record.outcome().map(RequestOutcome::modelAnswered).ifPresent(m -> fields.put("model_answered", m));
        fields.forEach(MDC::put);
        try {
            LOG.info(line(record));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
        published.fire(record);
    }

    String line(RequestRecord r) {
        ObjectNode line = json.createObjectNode()
                .put("request_id", r.requestId())
                .put("endpoint", r.endpoint())
                .put("model_asked", abbreviate(r.modelAsked()))
                .put("status", r.status())
                .put("latency_ms", r.latency().toMillis());
        r.outcome().ifPresent(o -> {
            line.put("model_answered", o.modelAnswered()).put("source", o.source()).put("degraded", o.degraded());
            ArrayNode attempts = line.putArray("attempts");
            for (Attempt a : o.attempts()) {
                ObjectNode attempt = attempts.addObject().put("model", a.model()).put("outcome", a.outcome().id())
                        .put("latency_ms", a.latencyMs());
                if (a.httpStatus() != null) {
                    attempt.put("http_status", a.httpStatus());
                }
            }
            ObjectNode tokens = line.putObject("tokens");
            int prompt = 0;
            int completion = 0;
            for (Map.Entry<String, TokenUsage> e : o.tokens().entrySet()) {
                tokens.putObject(e.getKey()).put("prompt", e.getValue().promptTokens())
                        .put("completion", e.getValue().completionTokens());
                prompt += e.getValue().promptTokens();
                completion += e.getValue().completionTokens();
            }
            line.put("prompt_tokens", prompt).put("completion_tokens", completion);
        });
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
