package dev.breakwater.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.telemetry.Ops;
import dev.breakwater.telemetry.OpsGatewayTest;
import dev.breakwater.telemetry.OpsProfile;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** /health/circuit-breakers, /health/dependencies and the Quarkus probes, on the gateway of {@link OpsProfile}. */
@QuarkusTest
@TestProfile(OpsProfile.class)
class HealthEndpointsTest extends OpsGatewayTest {

    @BeforeEach
    void closeBreaker() {
        upstream.restoreDefaults();
        Ops.closeBreaker(breakers, Ops.PRIMARY);
    }

    @Test
    void circuitBreakersShowsEveryBreakerAndAnOpenOnesDetails() {
        JsonPath before = breakersReport();
        assertEquals(List.of("claude-3-sonnet", "gpt-3.5-turbo", "gpt-4o", "local", "redis"),
                before.getList("breakers.service"), "every breaker, the Redis one included, sorted");
        assertEquals("closed", breaker(before, "gpt-4o").get("state"));
        int failedBefore = (int) breaker(before, "gpt-4o").get("failed_calls");

        upstream.setFault(Fault.serviceUnavailable());
        Ops.categorizeFresh();
        Ops.categorizeFresh();

        JsonPath after = breakersReport();
        Map<String, Object> gpt = breaker(after, "gpt-4o");
        assertEquals("open", gpt.get("state"));
        assertEquals(2, gpt.get("failure_count"));
        assertEquals(failedBefore + 2, gpt.get("failed_calls"));
        assertTrue((int) gpt.get("total_calls") >= 2);
        assertNotNull(gpt.get("last_failure"));
        long nextProbe = ((Number) gpt.get("seconds_to_next_probe")).longValue();
        assertTrue(nextProbe >= 0 && nextProbe <= 10, "next probe in " + nextProbe + " s");
        assertNotNull(gpt.get("next_probe_at"));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) gpt.get("settings");
        assertEquals(2, settings.get("failure_threshold"));
        assertEquals(10_000, settings.get("recovery_timeout_ms"));
        assertTrue(after.getInt("not_closed") >= 1);
        assertEquals(null, breaker(after, "local").get("seconds_to_next_probe"), "only an open breaker has a next probe");
    }

    @Test
    void dependenciesReportsRedisAndEachProviderWithoutCallingThem() {
        long start = System.nanoTime();
        JsonPath report = given().get("/health/dependencies").then().statusCode(200).extract().jsonPath();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        Map<String, Object> redis = dependency(report, "redis");
        assertEquals("up", redis.get("status"), redis::toString);
        assertTrue(((Number) redis.get("latency_ms")).longValue() < 1000);
        Map<String, Object> gpt = dependency(report, "gpt-4o");
        assertEquals("up", gpt.get("status"), gpt::toString);
        assertEquals("127.0.0.1:" + upstream.port(), gpt.get("target"));
        assertEquals("down", dependency(report, "gpt-3.5-turbo").get("status"), "nothing listens on its port");
        assertEquals("not_configured", dependency(report, "claude-3-sonnet").get("status"));
        assertTrue(String.valueOf(dependency(report, "claude-3-sonnet").get("detail")).contains("BREAKWATER_TEST_UNSET_KEY"));
        assertEquals("up", dependency(report, "local").get("status"));
        assertEquals("degraded", report.getString("status"));
        assertEquals(0, upstream.requestCount(), "a TCP connect only: no HTTP request, no tokens spent");
        assertTrue(tookMs < 3000, "probes run at once within the 1 s probe timeout, took " + tookMs + " ms");
    }

    @Test
    void readinessStaysUpOnTheLocalModelWhileTheCloudBreakerIsOpen() {
        upstream.setFault(Fault.serviceUnavailable());
        Ops.categorizeFresh();
        Ops.categorizeFresh();
        assertEquals(BreakerState.OPEN, breakers.find("gpt-4o").orElseThrow().state());

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'answer-tiers' }.data.'gpt-4o'", equalTo("open"))
                .body("checks.find { it.name == 'answer-tiers' }.data.local", equalTo("closed"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static JsonPath breakersReport() {
        return given().get("/health/circuit-breakers").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> breaker(JsonPath report, String service) {
        return report.getMap("breakers.find { it.service == '" + service + "' }");
    }

    private static Map<String, Object> dependency(JsonPath report, String name) {
        return report.getMap("dependencies.find { it.name == '" + name + "' }");
    }
}
