package dev.breakwater.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@link FakeUpstream} as a stand-alone process: the mock OpenAI-compatible upstream of the
 * docker-compose failover demo, the load tests and the benchmarks. A second, tiny HTTP server (the
 * control port) switches its behaviour while it serves traffic:
 * <pre>
 *   POST /fault/ok                 answer normally (after the configured latency)
 *   POST /fault/unavailable        503 on every request
 *   POST /fault/rate-limited       429 with Retry-After: 1
 *   POST /fault/reset              drop each connection with a TCP RST
 *   POST /fault/hang               accept the request and never answer
 *   POST /fault/garbage            200 with prose instead of the JSON answer
 *   POST /latency/{ms}             delay before every normal answer (0 = none)
 *   GET  /stats                    {"requests":N,"connections":N,"fault":"ok","latency_ms":0}
 * </pre>
 * Settings come from the environment (or {@code -D} system properties of the same name in lower case
 * with dots, e.g. {@code -Dmock.port=8000}): {@code MOCK_PORT} (8000), {@code MOCK_CONTROL_PORT} (8001),
 * {@code MOCK_BIND} (0.0.0.0), {@code MOCK_LATENCY_MS} (0).
 */
public final class MockUpstreamMain implements AutoCloseable {

    private static final Map<String, Supplier<Fault>> FAULTS = new TreeMap<>(Map.of(
            "unavailable", Fault::serviceUnavailable,
            "rate-limited", () -> Fault.rateLimited(1),
            "reset", Fault::reset,
            "hang", Fault::hang,
            "garbage", Fault::garbage));

    private final FakeUpstream upstream;
    private final HttpServer control;
    private volatile String faultName = "ok";
    private volatile Duration latency;

    private MockUpstreamMain(FakeUpstream upstream, HttpServer control, Duration latency) {
        this.upstream = upstream;
        this.control = control;
        this.latency = latency;
        applyOk();
        control.createContext("/fault/", this::onFault);
        control.createContext("/latency/", this::onLatency);
        control.createContext("/stats", this::onStats);
        control.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        control.start();
    }

    public static MockUpstreamMain start(String bind, int port, int controlPort, Duration latency) throws IOException {
        // Counting is enough: benchmarks send millions of requests and must not fill the heap with them.
        FakeUpstream upstream = FakeUpstream.start(bind, port).recordRequests(false);
        HttpServer control = HttpServer.create(new InetSocketAddress(bind, controlPort), 64);
        return new MockUpstreamMain(upstream, control, latency);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        MockUpstreamMain mock = start(setting("MOCK_BIND", "0.0.0.0"),
                Integer.parseInt(setting("MOCK_PORT", "8000")),
                Integer.parseInt(setting("MOCK_CONTROL_PORT", "8001")),
                Duration.ofMillis(Long.parseLong(setting("MOCK_LATENCY_MS", "0"))));
        Runtime.getRuntime().addShutdownHook(new Thread(mock::close));
        System.out.printf("mock upstream on :%d, control on :%d%n", mock.port(), mock.controlPort());
        new CountDownLatch(1).await();
    }

    public int port() {
        return upstream.port();
    }

    public int controlPort() {
        return control.getAddress().getPort();
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    @Override
    public void close() {
        control.stop(0);
        upstream.close();
    }

    private void onFault(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/fault/".length());
        if (!name.equals("ok") && !FAULTS.containsKey(name)) {
            reply(exchange, 404, "{\"error\":\"unknown fault; one of ok, " + String.join(", ", FAULTS.keySet()) + "\"}");
            return;
        }
        synchronized (this) {
            faultName = name;
            if (name.equals("ok")) {
                applyOk();
            } else {
                upstream.setFault(FAULTS.get(name).get());
            }
        }
        onStats(exchange);
    }

    private void onLatency(HttpExchange exchange) throws IOException {
        String value = exchange.getRequestURI().getPath().substring("/latency/".length());
        long millis;
        try {
            millis = Long.parseLong(value);
        } catch (NumberFormatException e) {
            reply(exchange, 400, "{\"error\":\"latency must be whole milliseconds\"}");
            return;
        }
        synchronized (this) {
            latency = Duration.ofMillis(millis);
            if (faultName.equals("ok")) {
                applyOk();
            }
        }
        onStats(exchange);
    }

    private void onStats(HttpExchange exchange) throws IOException {
        reply(exchange, 200, Json.write(Json.object()
                .put("requests", upstream.totalRequests())
                .put("connections", upstream.connectionsAccepted())
                .put("fault", faultName)
                .put("latency_ms", latency.toMillis())));
    }

    /** "ok" with latency is the upstream's slow-first-byte fault; without latency it is no fault at all. */
    private void applyOk() {
        upstream.setFault(latency.isZero() ? Fault.ok() : Fault.slowFirstByte(latency));
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String setting(String env, String fallback) {
        String property = System.getProperty(env.toLowerCase().replace('_', '.'));
        if (property != null) {
            return property;
        }
        String value = System.getenv(env);
        return value != null ? value : fallback;
    }
}
