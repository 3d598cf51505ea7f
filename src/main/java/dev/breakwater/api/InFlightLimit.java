package dev.breakwater.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the {@code /v1} requests a replica holds at once ({@code breakwater.max-in-flight}) and answers
 * the rest at once with 503 and {@code Retry-After}, which OpenAI's SDKs retry. A call in flight holds
 * heap until it ends (13–20 KB live, both connections included: docs/BENCHMARKS.md), so without a bound
 * a burst of callers could grow the heap past its limit and fail every call at once; with one, the heap
 * sizes the replica and the excess goes to another replica or comes back a second later.
 * <p>
 * Counted from the first filter to the response's end or the connection's close, whichever comes first,
 * so a caller that hangs up gives its place back. Health, metrics and admin routes are not counted.
 */
@Singleton
public class InFlightLimit {

    /** Heap a call in flight may take: the measured 13–20 KB live, with room for the garbage between collections. */
    static final long BYTES_PER_CALL = 24 * 1024;
    /** Heap the gateway needs with nothing in flight (17–40 MB live after warm-up, measured), kept out of the budget. */
    static final long BASE_HEAP_BYTES = 64L * 1024 * 1024;
    private static final int MIN_AUTO_LIMIT = 64;
    /** After RequestLog, so a shed request is logged and counted like any other. */
    private static final int PRIORITY = 900_000;
    private static final String RETRY_AFTER_SECONDS = "1";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int limit;
    private final Counter shed;
    private final ObjectMapper json;

    public InFlightLimit(GatewayConfig config, MeterRegistry meters, ObjectMapper json) {
        this.limit = config.maxInFlight().orElseGet(() -> autoLimit(Runtime.getRuntime().maxMemory()));
        this.json = json;
        this.shed = Counter.builder("breakwater_requests_shed")
                .description("Requests answered 503 because the replica already held breakwater.max-in-flight calls")
                .register(meters);
        Gauge.builder("breakwater_requests_in_flight", inFlight, AtomicInteger::get)
                .description("/v1 requests this replica holds now").register(meters);
        Gauge.builder("breakwater_requests_in_flight_limit", () -> limit)
                .description("breakwater.max-in-flight, or the limit derived from the heap when it is not set").register(meters);
    }

    /** The default: what the heap holds at {@link #BYTES_PER_CALL} a call once the gateway's own base is set aside. */
    static int autoLimit(long maxHeapBytes) {
        return (int) Math.max(MIN_AUTO_LIMIT, Math.min(Integer.MAX_VALUE, (maxHeapBytes - BASE_HEAP_BYTES) / BYTES_PER_CALL));
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    private void admit(RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/v1/")) {
            routing.next();
            return;
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            refuse(routing);
            return;
        }
        // Vert.x runs end handlers on the response's end and again on the connection's close: release once.
        AtomicBoolean released = new AtomicBoolean();
        routing.addEndHandler(end -> {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        });
        routing.next();
    }

    private void refuse(RoutingContext routing) {
        ProblemException problem = new ProblemException(503, "Gateway at capacity",
                "this replica already holds " + limit + " calls in flight (breakwater.max-in-flight); retry after "
                        + RETRY_AFTER_SECONDS + " s or on another replica")
                .with("limit", limit).with("code", "gateway_at_capacity");
        HttpLayerProblems.end(routing.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS), json, problem);
    }
}
