package dev.breakwater.admin;

import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.breakwater.admin.Gateway.admin;
import static dev.breakwater.admin.Gateway.attemptedModels;
import static dev.breakwater.admin.Gateway.breakerState;
import static dev.breakwater.admin.GatewayYaml.CLAUDE;
import static dev.breakwater.admin.GatewayYaml.GPT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(AdminTestProfile.class)
class AdminApiTest {

    AdminUpstreams.Upstreams upstreams;

    @Inject
    BreakerRegistry breakers;

    @Inject
    ChainRegistry chains;

    @BeforeEach
    void baseline() {
        Gateway.baseline(upstreams);
    }

    @Test
    void missingOrWrongTokenIs401WithoutEchoingIt() {
        given().get("/admin/circuit-breakers").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
        given().header("Authorization", "Bearer wrong-token").post("/admin/circuit-breakers/reset").then().statusCode(401)
                .body(not(containsString("wrong-token")));
        given().header("Authorization", "Basic " + AdminUpstreams.TOKEN).post("/admin/config/reload").then().statusCode(401);
        // a prefix of the right token is still wrong
        given().header("Authorization", "Bearer " + AdminUpstreams.TOKEN.substring(0, 10))
                .get("/admin/circuit-breakers").then().statusCode(401);
    }

    @Test
    void listsEveryBreakerWithStatsAndSettings() {
        Gateway.categorize("taxi from the airport to the hotel");
        admin().get("/admin/circuit-breakers").then().statusCode(200)
                .body("service", hasItems(GPT, CLAUDE, "local", "redis"))
                .body("find { it.service == 'gpt-4o' }.state", equalTo("closed"))
                .body("find { it.service == 'gpt-4o' }.total_calls", equalTo(1))
                .body("find { it.service == 'gpt-4o' }.settings.failure_threshold", equalTo(2))
                .body("find { it.service == 'gpt-4o' }.settings.recovery_timeout_ms", equalTo(60000))
                .body("find { it.service == 'claude-3-sonnet' }.settings.failure_threshold", equalTo(2));
    }

    @Test
    void resetClosesAnOpenBreakerAndEmitsAManualTransition() {
        openGpt();
        admin().get("/admin/circuit-breakers").then()
                .body("find { it.service == 'gpt-4o' }.state", equalTo("open"))
                .body("find { it.service == 'gpt-4o' }.failure_count", equalTo(2))
                .body("find { it.service == 'gpt-4o' }.seconds_to_next_probe", greaterThan(50));
        Gateway.categorize("blocked while open")
                .body("attempts[0].model", equalTo(GPT))
                .body("attempts[0].outcome", equalTo("skipped_open_circuit"))
                .body("model", equalTo(CLAUDE));

        upstreams.openai().setFault(Fault.ok());
        admin().post("/admin/circuit-breakers/gpt-4o/reset").then().statusCode(200)
                .body("state", equalTo("closed"))
                .body("failure_count", equalTo(0))
                .body("seconds_to_next_probe", nullValue());

        BreakerTransition last = breakers.recentTransitions().get(0);
        assertEquals(GPT, last.service());
        assertEquals(BreakerState.OPEN, last.from());
        assertEquals(BreakerState.CLOSED, last.to());
        assertTrue(last.manual());
        Gateway.categorize("answered by gpt-4o again").body("model", equalTo(GPT));
    }

    @Test
    void resetAllClosesEveryBreaker() {
        openGpt();
        upstreams.anthropic().setFault(Fault.serviceUnavailable());
        Gateway.categorize("claude fails once");
        Gateway.categorize("claude fails twice");
        assertEquals("open", breakerState(CLAUDE));

        admin().post("/admin/circuit-breakers/reset").then().statusCode(200)
                .body("state", everyItem(equalTo("closed")));
    }

    @Test
    void unknownBreakerIs404ListingTheKnownOnes() {
        admin().post("/admin/circuit-breakers/gpt-5/reset").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("gpt-5"))
                .body("available", hasItems(GPT, CLAUDE, "local", "redis"));
        admin().contentType(ContentType.JSON).body("{\"failure_threshold\": 3}")
                .put("/admin/circuit-breakers/gpt-5/config").then().statusCode(404);
    }

    @Test
    void configChangeRebuildsTheBreakerAndTheChainUsesIt() {
        admin().contentType(ContentType.JSON)
                .body("{\"failure_threshold\": 4, \"recovery_timeout\": \"30s\", \"success_threshold\": 1, \"timeout\": 5000}")
                .put("/admin/circuit-breakers/gpt-4o/config").then().statusCode(200)
                .body("settings.failure_threshold", equalTo(4))
                .body("settings.recovery_timeout_ms", equalTo(30000))
                .body("settings.timeout_ms", equalTo(5000))
                .body("settings.max_retries", equalTo(0));
        assertSame(breakers.find(GPT).orElseThrow(), chains.model(GPT).orElseThrow().resilience(),
                "the chain must call the rebuilt breaker");

        upstreams.openai().setFault(Fault.serviceUnavailable());
        for (int i = 1; i <= 3; i++) {
            assertEquals(GPT, attemptedModels("failure " + i).get(0));
            assertEquals("closed", breakerState(GPT), "the old threshold (2) would have opened it after 2");
        }
        attemptedModels("failure 4");
        assertEquals("open", breakerState(GPT));
        admin().get("/admin/circuit-breakers").then()
                .body("find { it.service == 'gpt-4o' }.seconds_to_next_probe", equalTo(30));
    }

    @Test
    void rebuildingAnOpenBreakerClosesItWithAManualTransition() {
        openGpt();
        admin().contentType(ContentType.JSON).body("{\"recovery_timeout\": 120000}")
                .put("/admin/circuit-breakers/gpt-4o/config").then().statusCode(200)
                .body("state", equalTo("closed"))
                .body("settings.recovery_timeout_ms", equalTo(120000))
                .body("settings.failure_threshold", equalTo(2));
        BreakerTransition last = breakers.recentTransitions().get(0);
        assertEquals(List.of(GPT, "open", "closed", true),
                List.of(last.service(), last.from().id(), last.to().id(), last.manual()));
    }

    @Test
    void invalidConfigChangesAre400NamingTheFieldAndChangeNothing() {
        assertInvalid("{\"failure_threshold\": 0}", "failure_threshold");
        assertInvalid("{\"success_threshold\": \"three\"}", "success_threshold");
        assertInvalid("{\"recovery_timeout\": \"soon\"}", "recovery_timeout");
        assertInvalid("{\"recovery_timeout\": \"30\"}", "recovery_timeout");
        assertInvalid("{\"timeout\": 0}", "timeout");
        assertInvalid("{\"max_retries\": -1}", "max_retries");
        assertInvalid("{\"failure_treshold\": 3}", "failure_treshold");
        // limits: a huge threshold would allocate a window that size; absurd durations and retries are typos
        assertInvalid("{\"failure_threshold\": 2147483647}", "failure_threshold");
        assertInvalid("{\"failure_threshold\": 300000000}", "failure_threshold");
        assertInvalid("{\"failure_threshold\": 1001}", "failure_threshold");
        assertInvalid("{\"success_threshold\": 1001}", "success_threshold");
        assertInvalid("{\"timeout\": \"999999999d\"}", "timeout");
        assertInvalid("{\"recovery_timeout\": \"25h\"}", "recovery_timeout");
        assertInvalid("{\"max_retries\": 2147483647}", "max_retries");
        assertInvalid("{\"max_retries\": 11}", "max_retries");
        assertInvalid("{\"min_delay\": \"5s\", \"max_delay\": \"1s\"}", "min_delay");
        assertInvalid("{\"exponential_base\": 1e300}", "exponential_base");
        admin().contentType(ContentType.JSON).body("{}").put("/admin/circuit-breakers/gpt-4o/config")
                .then().statusCode(400).contentType("application/problem+json");
        admin().contentType(ContentType.JSON).body("{not json").put("/admin/circuit-breakers/gpt-4o/config")
                .then().statusCode(400).contentType("application/problem+json");
        admin().get("/admin/circuit-breakers").then()
                .body("find { it.service == 'gpt-4o' }.settings.failure_threshold", equalTo(2))
                .body("find { it.service == 'gpt-4o' }.settings.recovery_timeout_ms", equalTo(60000));
    }

    @Test
    void configChangesAtTheLimitsAreAccepted() {
        admin().contentType(ContentType.JSON)
                .body("{\"failure_threshold\": 1000, \"timeout\": \"24h\", \"max_retries\": 10, \"min_delay\": \"1s\", \"max_delay\": \"1s\"}")
                .put("/admin/circuit-breakers/" + CLAUDE + "/config").then().statusCode(200)
                .body("settings.failure_threshold", equalTo(1000));
    }

    @Test
    void moreThanTenWrongTokensAMinuteFromOneAddressAre429WithRetryAfter() throws Exception {
        // From an address of its own (127.0.0.2), so the other tests' wrong tokens from 127.0.0.1 do not count.
        for (int i = 0; i < 10; i++) {
            assertTrue(rawAdminGet("127.0.0.2", "wrong-" + i).startsWith("HTTP/1.1 401"));
        }
        String throttled = rawAdminGet("127.0.0.2", "wrong-10");
        assertTrue(throttled.startsWith("HTTP/1.1 429"), throttled);
        assertTrue(throttled.toLowerCase().contains("retry-after: "), throttled);
        assertTrue(throttled.contains("application/problem+json"), throttled);
        // Even the right token waits: otherwise guessing would go on, only its answers hidden.
        assertTrue(rawAdminGet("127.0.0.2", AdminUpstreams.TOKEN).startsWith("HTTP/1.1 429"));
        admin().get("/admin/circuit-breakers").then().statusCode(200);
    }

    private static String rawAdminGet(String fromAddress, String token) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(fromAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", io.restassured.RestAssured.port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /admin/circuit-breakers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void assertInvalid(String body, String field) {
        admin().contentType(ContentType.JSON).body(body).put("/admin/circuit-breakers/gpt-4o/config").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("detail", containsString(field));
    }

    private void openGpt() {
        upstreams.openai().setFault(Fault.serviceUnavailable());
        Gateway.categorize("first failure").body("model", equalTo(CLAUDE));
        Gateway.categorize("second failure");
        assertEquals("open", breakerState(GPT));
    }
}
