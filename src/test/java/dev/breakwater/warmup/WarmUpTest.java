package dev.breakwater.warmup;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway with a warm-up is ready only once the warm-up's requests went through its whole path (caller
 * keys on, so they got past auth without a key), and then shows nothing of them: no model, no metrics.
 */
@QuarkusTest
@TestProfile(WarmUpProfile.class)
class WarmUpTest {

    static final String KEY = "bw-warm-up-test-key-0123456789abcdef";
    static final String ADMIN = "warm-up-admin-token-0123456789";

    @BeforeEach
    void awaitReady() throws InterruptedException {
        // 200 requests take a few seconds on a cold JVM, longer on a loaded CI machine (60 s at most, the default max-duration).
        for (int i = 0; i < 600 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void readyOnlyAfterItsRequestsWereAnsweredByTheWholePath() {
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, Object> warmUp = ready.getMap("checks.find { it.name == 'warm-up' }.data");
        assertEquals("done", warmUp.get("phase"));
        assertEquals(200, ((Number) warmUp.get("answered")).longValue(), "all of the warm-up's requests: " + warmUp);
        assertEquals(0, ((Number) warmUp.get("failed")).longValue(), "warm-up requests failed: " + warmUp);
    }

    @Test
    void leavesNoModelNoAnswersAndNoMetricsBehind() {
        given().header("Authorization", "Bearer " + ADMIN).get("/status")
                .then().statusCode(200).body(not(containsString("breakwater-warm-up")));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!metrics.contains("breakwater-warm-up"), "the warm-up's model is still in the metrics");
        List<String> chatTimings = metrics.lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count") && l.contains("/v1/chat/completions")
                        && l.contains("status=\"200\""))
                .toList();
        assertEquals(List.of(), chatTimings, "Quarkus' HTTP timers still count the warm-up's answers");
        given().header("Authorization", "Bearer " + KEY).get("/v1/models")
                .then().statusCode(200).body(not(containsString("breakwater-warm-up")));
        given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body("{\"model\":\"breakwater-warm-up\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body(containsString("model_not_found"));
        assertTrue(given().get("/q/metrics").then().extract().asString().lines()
                        .anyMatch(l -> l.startsWith("http_server_requests_seconds_count") && l.contains("/v1/chat/completions")
                                && l.contains("status=\"400\"")),
                "Quarkus' HTTP timers count callers' requests again after the reset");
    }

    @Test
    void itsHeaderOpensNothingOnceItIsOver() {
        given().header(WarmUpState.HEADER, "anything").contentType("application/json")
                .body("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(401);
    }
}
