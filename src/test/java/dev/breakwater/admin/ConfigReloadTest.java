package dev.breakwater.admin;

import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.breakwater.admin.Gateway.admin;
import static dev.breakwater.admin.Gateway.attemptedModels;
import static dev.breakwater.admin.Gateway.breakerState;
import static dev.breakwater.admin.GatewayYaml.CLAUDE;
import static dev.breakwater.admin.GatewayYaml.GPT;
import static dev.breakwater.admin.GatewayYaml.LOCAL;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(AdminTestProfile.class)
class ConfigReloadTest {

    AdminUpstreams.Upstreams upstreams;

    @BeforeEach
    void baseline() {
        Gateway.baseline(upstreams);
    }

    @Test
    void validReloadAppliesTheNewChainOrder() {
        assertEquals(GPT, attemptedModels("before the reload").get(0));

        upstreams.write(upstreams.baseline().chain(CLAUDE, GPT, LOCAL));
        admin().post("/admin/config/reload").then().statusCode(200)
                .body("chains.categorizer", equalTo(List.of(CLAUDE, GPT, LOCAL)));

        Gateway.categorize("after the reload")
                .body("model", equalTo(CLAUDE))
                .body("attempts.model", equalTo(List.of(CLAUDE)));
    }

    @Test
    void unchangedModelsKeepTheirBreakerStateAndChangedOnesAreRebuilt() {
        upstreams.openai().setFault(Fault.serviceUnavailable());
        upstreams.anthropic().setFault(Fault.serviceUnavailable());
        Gateway.categorize("both fail once");
        Gateway.categorize("both fail twice");
        assertEquals("open", breakerState(GPT));
        assertEquals("open", breakerState(CLAUDE));

        upstreams.write(upstreams.baseline().chain(CLAUDE, GPT, LOCAL).claudeFailureThreshold(3));
        admin().post("/admin/config/reload").then().statusCode(200)
                .body("breakers_kept", hasItem(GPT))
                .body("breakers_rebuilt", equalTo(List.of(CLAUDE)));

        assertEquals("open", breakerState(GPT), "gpt-4o's settings did not change: its breaker stays open");
        assertEquals("closed", breakerState(CLAUDE), "claude-3-sonnet got a new threshold: a new breaker");
        admin().get("/admin/circuit-breakers").then()
                .body("find { it.service == 'claude-3-sonnet' }.settings.failure_threshold", equalTo(3));
    }

    @Test
    void aModelAddedByAReloadHasEveryBreakerSeriesAtOnce() throws Exception {
        String withMini = upstreams.baseline().render().replace("  chains:\n", String.join("\n",
                "    - name: gpt-4o-mini",
                "      provider: openai",
                "      base-url: " + upstreams.openai().baseUrl() + "/v1",
                "  chains:\n"));
        java.nio.file.Files.writeString(AdminUpstreams.YAML, withMini);
        admin().post("/admin/config/reload").then().statusCode(200).body("breakers_rebuilt", hasItem("gpt-4o-mini"));

        assertEquals(List.of(), dev.breakwater.telemetry.BreakerSeries.missingOrNonZero(
                dev.breakwater.telemetry.Scrape.now(), "gpt-4o-mini"));
    }

    @Test
    void invalidReloadIs400AndTheOldChainKeepsServing() {
        upstreams.write(upstreams.baseline().chain("gpt-5", CLAUDE));
        admin().post("/admin/config/reload").then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems", hasItem(containsString("breakwater.chains.categorizer.models names unknown model 'gpt-5'")));
        assertEquals(List.of(GPT), attemptedModels("still on the old chain"));

        upstreams.write(upstreams.baseline().extraChainEntry("min-quality: very-high"));
        admin().post("/admin/config/reload").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("min-quality"));
        assertEquals(List.of(GPT), attemptedModels("still on the old chain after a file that does not load"));
    }

    @Test
    void requestInFlightFinishesOnTheChainItStartedWith() throws Exception {
        // Slow enough (4 s, under the 10 s model timeout) that the reload surely lands while it is in flight.
        upstreams.openai().enqueue(Fault.slowFirstByte(Duration.ofMillis(4000)));
        CompletableFuture<JsonPath> inFlight = CompletableFuture.supplyAsync(
                () -> Gateway.categorize("started before the reload").extract().jsonPath());
        assertTrue(upstreams.openai().awaitRequests(1, Duration.ofSeconds(10)), "gpt-4o never saw the request");

        upstreams.write(upstreams.baseline().models(CLAUDE, LOCAL).chain(CLAUDE, LOCAL));
        admin().post("/admin/config/reload").then().statusCode(200)
                .body("breakers_removed", equalTo(List.of(GPT)));
        assertFalse(inFlight.isDone(), "the reload must not wait for requests in flight");
        Gateway.categorize("started after the reload").body("model", equalTo(CLAUDE))
                .body("attempts.model", equalTo(List.of(CLAUDE)));

        JsonPath old = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(GPT, old.getString("model"), "the request in flight must finish on the chain it started with");
        assertEquals(List.of(GPT), old.getList("attempts.model"));
        assertEquals("ok", old.getString("attempts[0].outcome"));
        admin().get("/admin/circuit-breakers").then().body("service", equalTo(List.of(CLAUDE, LOCAL, "redis")));
    }
}
