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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    /** Long enough for a loaded machine to look at B while A's opening lasts; its end is polled for. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final String PREFIX = "breakwater-it-" + UUID.randomUUID();

    private static FakeUpstream upstream;
    private static GatewayProcesses gateways;
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        upstream = FakeUpstream.start();
        gateways = new GatewayProcesses(WORK);
        Path yaml = WORK.resolve("gateway.yaml");
        Files.writeString(yaml, FleetDrill.yaml(PREFIX, RECOVERY, upstream.baseUrl(), false));
        a = gateways.launch("a", yaml, Map.of());
        b = gateways.launch("b", yaml, Map.of());
        gateways.awaitReady(List.of(a, b));
        // Both replicas must listen on the breaker channel before A's breaker opens.
        gateways.await(() -> GatewayProcesses.subscribers(PREFIX + ":breaker-events") >= 2, 60_000, "both replicas subscribed");
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

        // B learns of it from the channel (its own breaker saw no failure); its health page calls nothing.
        long seen = gateways.await(() -> "open".equals(breakerState(b)), 10_000, "B shows A's opening");
        long before = upstream.totalRequests();
        JsonPath skipped = categorize(b);
        long sinceOpen = (System.nanoTime() - opened) / 1_000_000;
        assertTrue(sinceOpen < RECOVERY.toMillis(), "B asked inside A's opening, " + sinceOpen + " ms after it");
        assertEquals(List.of("primary", "local"), skipped.getList("attempts.model"));
        assertEquals(List.of("skipped_open_circuit", "ok"), skipped.getList("attempts.outcome"));
        assertEquals(before, upstream.totalRequests(), "B did not call primary's upstream");
        // B's own breaker saw no failure: it reports A's opening, marked as a peer's.
        assertEquals("open", breakerState(b), "B shows A's opening");
        assertEquals("true", breakerField(b, "opened_by_peer"), "B marks it as a peer's opening");
        assertEquals("false", breakerField(a, "opened_by_peer"), "A's opening is its own");

        upstream.setFault(Fault.ok());
        // A's recovery timeout ends (its breaker turns half-open by itself): its next request is the probe.
        gateways.await(() -> !"open".equals(breakerState(a)), RECOVERY.toMillis() + 20_000, "A's recovery timeout ends");
        JsonPath probe = categorize(a);
        assertEquals("primary", probe.getString("attempts[0].model"));
        assertEquals("ok", probe.getString("attempts[0].outcome"), "A's probe after the recovery timeout");
        assertEquals("llm", probe.getString("source"));
        assertEquals("closed", breakerState(a));

        // A's CLOSED reaches B: then B calls primary again.
        long closed = gateways.await(() -> "closed".equals(breakerState(b)), 10_000, "B shows A's recovery");
        long beforeB = upstream.totalRequests();
        JsonPath back = categorize(b);
        assertEquals("primary", back.getString("attempts[0].model"));
        assertEquals("ok", back.getString("attempts[0].outcome"), "B uses primary again");
        assertEquals("llm", back.getString("source"));
        assertTrue(upstream.totalRequests() > beforeB, "B called primary's upstream");
        System.out.printf("two replicas: B showed A's opening after %d ms, its recovery after %d ms%n", seen, closed);
    }

    private static JsonPath categorize(String gateway) throws InterruptedException {
        HttpResponse<String> response = GatewayProcesses.categorize(gateway,
                "Train ticket to a customer meeting " + UUID.randomUUID());
        assertEquals(200, response.statusCode(), response.body());
        return JsonPath.from(response.body());
    }

    private static String breakerState(String gateway) {
        return breakerField(gateway, "state");
    }

    /** A field of primary's entry in the gateway's /health/circuit-breakers, as text. */
    private static String breakerField(String gateway, String field) {
        return GatewayProcesses.breakerField(gateway, "primary", field);
    }

}
