package dev.breakwater.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server scrapes the running gateway every second; after a breaker opened, every
 * query of the Grafana dashboard must return data through Prometheus' HTTP API.
 */
@QuarkusTest
@TestProfile(OpsProfile.class)
class PrometheusIntegrationTest extends OpsGatewayTest {

    /**
     * gpt-4o was scraped open at some point in the last 2 minutes: SmallRye turns an open breaker
     * half-open by itself after the recovery timeout, so "open now" is the wrong question.
     */
    private static final String SCRAPED_OPEN =
            "count_over_time((circuit_breaker_state{service=\"gpt-4o\"} == 1)[2m:500ms]) > 0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Process prometheus;
    static Path workDir;
    static String api;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    /** The gateway's port is known to test instances only (it is chosen at start). */
    private void startPrometheus() throws Exception {
        workDir = Files.createTempDirectory("breakwater-prometheus");
        Files.writeString(workDir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: breakwater
                    metrics_path: %s
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(metrics.getPath(), metrics.getPort()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(Tools.require("prometheus"), "--config.file=prometheus.yml",
                "--storage.tsdb.path=data", "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        awaitTrue(Duration.ofSeconds(20), "prometheus ready", () -> get(api + "/-/ready").statusCode() == 200);
        // Target discovery reaches the scrape loop up to 5 s after start: wait for the first scrape, or
        // a breaker opened meanwhile could turn half-open before Prometheus ever sees it.
        awaitTrue(Duration.ofSeconds(20), "first scrape", () -> !query("up{job=\"breakwater\"} == 1").isEmpty());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(5, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyDashboardQueryReturnsDataOnceABreakerOpened() throws Exception {
        startPrometheus();
        Ops.closeBreaker(breakers, Ops.PRIMARY);
        upstream.restoreDefaults();
        String text = "Courier delivery of spare parts " + System.nanoTime();
        Ops.categorize(text);
        Ops.categorize(text);
        upstream.setFault(Fault.serviceUnavailable());
        for (int i = 0; i < 3; i++) {
            Ops.categorizeFresh();
        }
        try {
            awaitTrue(Duration.ofSeconds(15), "prometheus saw gpt-4o open",
                    () -> !query(SCRAPED_OPEN).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; targets: " + get(api + "/api/v1/targets").body(), e);
        }

        List<String> queries = queries(JSON.readTree(MonitoringArtefactsTest.DASHBOARD.toFile()));
        Map<String, String> empty = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (String q : queries) {
            if (q.contains("endpoint=\"chat\"") || q.contains("endpoint=\"embeddings\"") || q.contains("breakwater_key_")) {
                // This test sends no chat, embeddings or keyed traffic (auth mode open; KeysGatewayTest checks the key
                // series): those panels' queries need only be valid PromQL.
                query(q);
                continue;
            }
            // rate() needs two samples of a series created by this test's requests: allow a few scrapes.
            while (query(q).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            JsonNode result = query(q);
            if (result.isEmpty()) {
                empty.put(q, "no data");
            }
        }
        assertTrue(queries.size() >= 16, "dashboard queries found: " + queries.size());
        assertEquals(Map.of(), empty, "dashboard queries without data");
        assertEquals(1, query(SCRAPED_OPEN).size(), "the state panel's series holds gpt-4o open");
    }

    /** Every {@code expr} anywhere in the dashboard. */
    static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
        return out;
    }

    private static JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());
        assertEquals("success", body.path("status").asText(), promql + " -> " + response.body());
        return body.path("data").path("result");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(Duration max, String what, Check check) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }
}
