package dev.breakwater.telemetry;

import static io.restassured.RestAssured.given;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ResilientClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Steps shared by the operations tests. */
public final class Ops {

    public static final String PRIMARY = "gpt-4o";

    private Ops() {
    }

    /** A categorization of a text never seen before, so the cache cannot answer it. */
    public static JsonPath categorizeFresh() {
        return categorize("Train ticket to a customer meeting " + UUID.randomUUID());
    }

    public static JsonPath categorize(String text) {
        return given().contentType(ContentType.JSON).body(Map.of("text", text))
                .post("/v1/categorize").then().statusCode(200).extract().jsonPath();
    }

    /** Closes a breaker a previous test may have left open. */
    public static void closeBreaker(BreakerRegistry breakers, String service) {
        ResilientClient client = breakers.find(service).orElseThrow();
        if (client.state() != BreakerState.CLOSED) {
            client.reset();
        }
    }

    /** Waits (at most its recovery timeout and 20 s more) until the open breaker lets its next probe through. */
    public static void awaitProbeDue(BreakerRegistry breakers, String service) throws InterruptedException {
        ResilientClient client = breakers.find(service).orElseThrow();
        Duration max = client.policy().breaker().recoveryTimeout().plusSeconds(20);
        long end = System.nanoTime() + max.toNanos();
        while (client.isOpenAndWaiting()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(service + " breaker still waiting after " + max.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
