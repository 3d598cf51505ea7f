package dev.breakwater.telemetry;

import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * The request log's notes on one request, filled in by the resource as it learns things and
 * published by {@link RequestLog} when the response goes out. Resources call {@link #asked} with the
 * model the caller named and {@link #answered} once the chain has been walked; both may come from
 * any thread.
 */
public final class RequestTrace {

    static final String KEY = "breakwater.request-trace";

    private final String requestId;
    private final String endpoint;
    private final long startNanos;
    private volatile String modelAsked;
    private volatile RequestOutcome outcome;

    RequestTrace(String requestId, String endpoint, long startNanos) {
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.startNanos = startNanos;
    }

    /** The request's trace; a detached one (noted, never published) outside {@code /v1}. */
    public static RequestTrace of(RoutingContext routing) {
        RequestTrace trace = routing == null ? null : routing.get(KEY);
        return trace != null ? trace : new RequestTrace("-", "other", System.nanoTime());
    }

    public String requestId() {
        return requestId;
    }

    public void asked(String model) {
        this.modelAsked = model;
    }

    public void answered(RequestOutcome outcome) {
        this.outcome = outcome;
    }

    String endpoint() {
        return endpoint;
    }

    long startNanos() {
        return startNanos;
    }

    String modelAsked() {
        return modelAsked;
    }

    Optional<RequestOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }
}
