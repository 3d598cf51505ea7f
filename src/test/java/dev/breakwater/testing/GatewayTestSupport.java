package dev.breakwater.testing;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.response.ValidatableResponse;

import java.util.List;

import static io.restassured.RestAssured.given;

/** Shared steps of the gateway's integration tests. */
public final class GatewayTestSupport {

    private GatewayTestSupport() {
    }

    /** Fresh upstreams, closed breakers and no cached answers: each test starts from a clean gateway. */
    public static void cleanSlate(BreakerRegistry breakers, RedisDataSource redis) {
        Upstreams.restoreDefaults();
        breakers.all().forEach(ResilientClient::reset);
        if (redis != null) {
            try {
                List<String> keys = redis.key().keys("breakwater:answer:*");
                if (!keys.isEmpty()) {
                    redis.key().del(keys.toArray(String[]::new));
                }
            } catch (RuntimeException redisDown) {
                // Tests that stop Redis on purpose clean up without it.
            }
        }
    }

    public static ValidatableResponse categorize(String text) {
        return given().contentType("application/json")
                .body(java.util.Map.of("text", text))
                .post("/v1/categorize")
                .then();
    }
}
