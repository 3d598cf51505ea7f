package dev.breakwater.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.breakwater.telemetry.Ops;
import dev.breakwater.telemetry.OpsGatewayTest;
import dev.breakwater.telemetry.OpsProfile;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * With a chain of one cloud model and no local tier, readiness goes DOWN while that model's breaker
 * is open and comes back when a probe is due; liveness stays UP throughout.
 */
@QuarkusTest
@TestProfile(OpsProfile.CloudOnly.class)
class ReadinessTest extends OpsGatewayTest {

    @Test
    void readinessFollowsTheLastTierAndLivenessNeverDoes() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        upstream.setFault(Fault.serviceUnavailable());
        for (int i = 0; i < 2; i++) {
            assertEquals("default", Ops.categorizeFresh().getString("source"));
        }

        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'answer-tiers' }.data.'gpt-4o'", equalTo("open"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        upstream.setFault(Fault.ok());
        Ops.awaitProbeDue(breakers, Ops.PRIMARY);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
