package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.GatewayProcesses;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Two gateway processes from the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) on their own
 * ports, sharing breaker state through the real Redis at 127.0.0.1:6379, in front of one FakeUpstream of
 * this JVM. Runs in {@code verify} (Failsafe), after {@code package}.
 */
class TwoReplicasSharedBreakerIT {

    private static final Path WORK = Path.of("target/shared-breaker-it");
    private static final String KEY_ENV = "BREAKWATER_IT_KEY";
    private static final Duration RECOVERY = Duration.ofSeconds(3);
    private static final String PREFIX = "breakwater-it-" + UUID.randomUUID();
    private static final HttpClient HTTP = GatewayProcesses.HTTP;

    private static FakeUpstream upstream;
    private static GatewayProcesses gateways;
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        gateways = new GatewayProcesses(WORK);
        upstream = FakeUpstream.start();
        Path yaml = WORK.resolve("gateway.yaml");
        Files.writeString(yaml, gatewayYaml(upstream.baseUrl()));
        // Both replicas must listen on the breaker channel before A's breaker opens.
        List<String> replicas = gateways.launchTwo(yaml, Map.of(KEY_ENV, "sk-it-" + UUID.randomUUID()), PREFIX + ":breaker-events");
        a = replicas.get(0);
        b = replicas.get(1);
    }

    @AfterAll
    static void stopReplicas() throws InterruptedException {
        if (gateways != null) {
            gateways.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aBreakerOpenedOnOneReplicaIsSkippedByTheOtherUntilTheUpstreamRecovers() throws Exception {
        assertEquals("ok", categorize(b).getString("attempts[0].outcome"), "B calls primary while it is healthy");

        upstream.setFault(Fault.serviceUnavailable());
        for (int i = 0; i < 2; i++) {
            assertEquals("error", categorize(a).getString("attempts[0].outcome"));
        }
        long opened = System.nanoTime();
        assertEquals("open", breakerState(a), "A's breaker for primary opened after 2 failures");

        Thread.sleep(250); // a publish on loopback Redis takes milliseconds; one try only, a miss would hit primary
        long before = upstream.totalRequests();
        JsonPath skipped = categorize(b);
        long sinceOpen = (System.nanoTime() - opened) / 1_000_000;
        assertTrue(sinceOpen < 1_000, "B asked within 1 s of A opening, took " + sinceOpen + " ms");
        assertEquals(List.of("primary", "local"), skipped.getList("attempts.model"));
        assertEquals(List.of("skipped_open_circuit", "ok"), skipped.getList("attempts.outcome"));
        assertEquals(before, upstream.totalRequests(), "B did not call primary's upstream");
        // B's own breaker saw no failure: it reports A's opening, marked as a peer's.
        assertEquals("open", breakerState(b), "B shows A's opening");
        assertEquals("true", breakerField(b, "opened_by_peer"), "B marks it as a peer's opening");
        assertEquals("false", breakerField(a, "opened_by_peer"), "A's opening is its own");

        upstream.setFault(Fault.ok());
        Thread.sleep(Math.max(0, RECOVERY.toMillis() + 200 - (System.nanoTime() - opened) / 1_000_000));
        JsonPath probe = categorize(a);
        assertEquals("primary", probe.getString("attempts[0].model"));
        assertEquals("ok", probe.getString("attempts[0].outcome"), "A's probe after the recovery timeout");
        assertEquals("llm", probe.getString("source"));
        assertEquals("closed", breakerState(a));

        // A's CLOSED reaches B within milliseconds; allow B one request more than that, then primary again.
        Thread.sleep(1_000);
        long beforeB = upstream.totalRequests();
        JsonPath back = categorize(b);
        if (!"ok".equals(back.getString("attempts[0].outcome"))) {
            back = categorize(b);
        }
        assertEquals("primary", back.getString("attempts[0].model"));
        assertEquals("ok", back.getString("attempts[0].outcome"), "B uses primary again");
        assertEquals("llm", back.getString("source"));
        assertTrue(upstream.totalRequests() > beforeB, "B called primary's upstream");
    }

    private static String gatewayYaml(String upstreamUrl) {
        return """
                breakwater:
                  request-deadline: 10s
                  min-quality: 0.0
                  categorize: {chain: categorizer}
                  resilience:
                    shared-state: redis
                    shared-prefix: %s
                    circuit-breaker: {failure-threshold: 2, recovery-timeout: %ds, success-threshold: 1}
                    retry: {max-retries: 0, base-delay: 10ms, max-delay: 50ms, exponential-base: 2, min-delay: 1ms}
                    timeout: {default: 5s, llm-api: 3s}
                  models:
                    - name: primary
                      provider: openai
                      model: gpt-4o
                      base-url: %s/v1
                      api-key-env: %s
                    - name: local
                      provider: local
                      model: all-minilm-l6-v2-q
                  chains:
                    categorizer: {models: [primary, local]}
                  cache:
                    enabled: false
                    timeout: 500ms
                    circuit-breaker: {failure-threshold: 5, recovery-timeout: 10s, success-threshold: 1}
                """.formatted(PREFIX, RECOVERY.toSeconds(), upstreamUrl, KEY_ENV);
    }

    private static JsonPath categorize(String gateway) throws IOException, InterruptedException {
        String body = "{\"text\":\"Train ticket to a customer meeting " + UUID.randomUUID() + "\"}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/categorize"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JsonPath.from(response.body());
    }

    private static String breakerState(String gateway) throws IOException, InterruptedException {
        return breakerField(gateway, "state");
    }

    /** A field of primary's entry in the gateway's /health/circuit-breakers, as text. */
    private static String breakerField(String gateway, String field) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/health/circuit-breakers"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JsonPath.from(body).getString("breakers.find { it.service == 'primary' }." + field);
    }
}
