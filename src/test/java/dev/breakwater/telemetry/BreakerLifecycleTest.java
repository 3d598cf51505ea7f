package dev.breakwater.telemetry;

import static dev.breakwater.telemetry.Ops.PRIMARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.resilience.BreakerStats;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

/**
 * Drives gpt-4o's breaker closed → open → half-open → closed through real requests against a
 * FakeUpstream, and checks that every metric family and the transition log follow what happened.
 * Values are compared as deltas between scrapes, so other tests sharing the app do not matter.
 */
@QuarkusTest
@TestProfile(OpsProfile.class)
class BreakerLifecycleTest extends OpsGatewayTest {

    @BeforeEach
    void pristine() {
        upstream.restoreDefaults().fixedUsage(100, 7);
        Ops.closeBreaker(breakers, PRIMARY);
    }

    @Test
    void everyMetricFamilyAndTheLogFollowABreakerOpeningAndRecovering() throws Exception {
        String marker = "prompt-text-" + UUID.randomUUID();
        BreakerStats initial = breakers.find(PRIMARY).orElseThrow().stats();
        Scrape before = Scrape.now();
        assertEquals(0, before.value("circuit_breaker_state", "service", PRIMARY));

        try (LogCapture breakerLog = LogCapture.of(BreakerTransitionLog.CATEGORY); LogCapture all = LogCapture.of("")) {
            JsonPath first = Ops.categorize("Flight to a supplier audit " + marker);
            assertEquals("llm", first.getString("source"));

            upstream.setFault(Fault.serviceUnavailable());
            for (int i = 0; i < 2; i++) {
                JsonPath fallback = Ops.categorizeFresh();
                assertEquals("local", fallback.getString("source"));
                assertTrue(fallback.getBoolean("degraded"));
            }
            JsonPath blocked = Ops.categorizeFresh();
            assertEquals("skipped_open_circuit", blocked.getString("attempts[0].outcome"));
            Scrape open = Scrape.now();

            upstream.setFault(Fault.ok());
            Ops.awaitProbeDue(breakers, PRIMARY);
            assertEquals("llm", Ops.categorizeFresh().getString("source"));
            assertEquals("cache", Ops.categorize("Flight to a supplier audit " + marker).getString("source"));
            Scrape closed = Scrape.now();

            // --- the breaker families, open
            String[] svc = {"service", PRIMARY};
            assertEquals(1, open.value("circuit_breaker_state", svc));
            assertEquals(2, open.delta(before, "circuit_breaker_failures_total", svc));
            assertEquals(1, open.delta(before, "circuit_breaker_transitions_total", "service", PRIMARY, "from", "closed", "to", "open"));
            assertEquals(1, open.delta(before, "circuit_breaker_requests_blocked_total", svc));
            assertEquals(3, open.delta(before, "circuit_breaker_fallback_usage_total", "service", PRIMARY, "fallback", "local"));
            // The breaker's window is its last failure-threshold (2) calls: both failed.
            assertEquals(1.0, open.value("circuit_breaker_failure_rate", svc), 1e-9);
            assertEquals(0, open.delta(before, "circuit_breaker_recoveries_total", svc));

            // --- ... and after the probe closed it again
            assertEquals(0, closed.value("circuit_breaker_state", svc));
            assertEquals(1, closed.delta(open, "circuit_breaker_transitions_total", "service", PRIMARY, "from", "open", "to", "half_open"));
            assertEquals(1, closed.delta(open, "circuit_breaker_transitions_total", "service", PRIMARY, "from", "half_open", "to", "closed"));
            assertEquals(1, closed.delta(open, "circuit_breaker_recoveries_total", svc));
            assertEquals(1, closed.delta(open, "circuit_breaker_recovery_time_seconds_count", svc));
            double recovery = closed.delta(open, "circuit_breaker_recovery_time_seconds_sum", svc);
            assertTrue(recovery >= 10.0 && recovery < 30, "recovery took " + recovery + " s (recovery timeout 10 s)");
            assertEquals(1, closed.delta(open, "circuit_breaker_recovery_time_seconds_bucket", "service", PRIMARY, "le", "30.0"));
            assertEquals(0, closed.delta(open, "circuit_breaker_failures_total", svc));
            assertEquals(0, closed.delta(open, "circuit_breaker_fallback_usage_total", svc), "a cache hit is not a fallback");

            // --- gateway metrics over the six requests
            assertEquals(2, closed.delta(before, "breakwater_answers_total", "source", "llm", "degraded", "false"));
            assertEquals(3, closed.delta(before, "breakwater_answers_total", "source", "local", "degraded", "true"));
            assertEquals(1, closed.delta(before, "breakwater_answers_total", "source", "cache", "degraded", "false"));
            assertEquals(2, closed.delta(before, "breakwater_request_duration_seconds_count", "endpoint", "categorize", "model", PRIMARY));
            assertEquals(3, closed.delta(before, "breakwater_request_duration_seconds_count", "model", "local"));
            assertTrue(closed.has("breakwater_request_duration_seconds_bucket", "model", PRIMARY, "le", "+Inf"),
                    "latency is published as histogram buckets");
            assertEquals(6, closed.delta(before, "breakwater_request_attempts_count", "endpoint", "categorize"));
            assertEquals(1 + 2 + 2 + 2 + 1, closed.delta(before, "breakwater_request_attempts_sum", "endpoint", "categorize"));
            assertEquals(1, closed.delta(before, "breakwater_cache_lookups_total", "result", "hit"));
            assertEquals(5, closed.delta(before, "breakwater_cache_lookups_total", "result", "miss"));
            assertEquals(200, closed.delta(before, "breakwater_tokens_total", "model", PRIMARY, "type", "prompt"));
            assertEquals(14, closed.delta(before, "breakwater_tokens_total", "model", PRIMARY, "type", "completion"));

            // --- one log record per transition, at the right level, with its fields
            List<LogCapture.Entry> records = breakerLog.entries().stream()
                    .filter(e -> PRIMARY.equals(e.mdc().get("service"))).toList();
            assertEquals(3, records.size(), records::toString);
            assertTransition(records.get(0), "ERROR", "closed", "open");
            assertEquals("2", records.get(0).mdc().get("failure_count"));
            assertFalse(records.get(0).mdc().get("last_failure").equals("none"));
            assertTransition(records.get(1), "INFO", "open", "half_open");
            assertTransition(records.get(2), "INFO", "half_open", "closed");
            assertTrue(records.get(2).message().contains("recovered"), records.get(2).message());

            assertTrue(all.entries().size() >= 3);
            assertTrue(all.entries().stream().noneMatch(e -> e.message() != null && e.message().contains(marker)),
                    "request text must never reach the logs");
        }
    }

    private static void assertTransition(LogCapture.Entry entry, String level, String from, String to) {
        assertEquals(level, entry.level(), entry::toString);
        assertEquals(from, entry.mdc().get("from"), entry::toString);
        assertEquals(to, entry.mdc().get("to"), entry::toString);
        assertTrue(entry.mdc().containsKey("failure_count") && entry.mdc().containsKey("last_failure"), entry::toString);
    }
}
