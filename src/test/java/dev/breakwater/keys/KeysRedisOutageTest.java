package dev.breakwater.keys;

import dev.breakwater.telemetry.LogCapture;
import dev.breakwater.telemetry.Scrape;
import dev.breakwater.testing.MinuteClock;
import dev.breakwater.testing.SecondRedis;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.breakwater.keys.Keys.chat;
import static dev.breakwater.keys.Keys.create;
import static dev.breakwater.keys.Keys.uniqueName;
import static dev.breakwater.testing.Poll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed mid-test: a known key is still answered from the key cache, limits are enforced by this
 * replica alone and say so (gauge, one WARN, headers still there), key creation is 503, and what was
 * counted meanwhile reaches Redis once it is back.
 */
@QuarkusTest
@TestProfile(KeysOutageProfile.class)
class KeysRedisOutageTest {

    @Inject
    Clock clock;

    @Test
    void knownKeysKeepWorkingLimitsDegradeVisiblyAndUsageIsReconciled() throws Exception {
        ((MinuteClock) clock).nextMinute();
        Upstreams.primary.fixedUsage(10, 5);
        JsonPath key = create(Map.of("name", uniqueName("outage"), "models", List.of("primary"), "rpm", 4));
        String secret = key.getString("key");
        assertEquals(200, chat(secret, "primary").statusCode(), "counted in Redis");
        assertEquals(0, Scrape.now().value("breakwater_limits_degraded"));

        try (LogCapture log = LogCapture.of(LimitsDegraded.class.getName())) {
            SecondRedis.kill();
            for (int i = 0; i < 4; i++) {
                Response r = chat(secret, "primary");
                assertEquals(200, r.statusCode(), "call " + i + " during the outage: " + r.asString());
                assertEquals("4", r.header("x-ratelimit-limit-requests"));
            }
            Response over = chat(secret, "primary");
            assertEquals(429, over.statusCode(), "this replica's own limiter holds rpm 4: " + over.asString());
            assertEquals("rate_limit_exceeded", over.jsonPath().getString("error.code"));
            assertEquals(1, Scrape.now().value("breakwater_limits_degraded"));
            Keys.admin("POST", "/admin/keys", Map.of("name", uniqueName("during"))).then().statusCode(503);
            assertEquals(1, log.entries().stream().filter(e -> e.level().equals("WARN")).count(),
                    "one WARN for the episode: " + log.entries());

            SecondRedis.restart();
            await(() -> Scrape.now().value("breakwater_limits_degraded") == 0, 5_000, "limits shared again");

            // The restarted Redis has lost its script cache: the admission script's NOSCRIPT is no outage.
            assertEquals(200, chat(secret, "primary").statusCode());
            assertEquals(0, Scrape.now().value("breakwater_limits_degraded"), "admitted by Redis again");
            assertEquals(1, log.entries().stream().filter(e -> e.level().equals("WARN")).count(), log.entries().toString());
        }
        JsonPath usage = usageInRedis(key.getString("id"));
        assertEquals(6, usage.getInt("usage.requests"), "1 before the outage + 4 counted locally + 1 after: " + usage.prettify());
        assertEquals(60, usage.getInt("usage.prompt_tokens"));
        assertEquals(30, usage.getInt("usage.completion_tokens"));
        assertTrue(usage.getDouble("usage.cost_usd") > 0);
    }

    /** The key's usage once Redis answers again (the write-back runs on the key worker). */
    private static JsonPath usageInRedis(String id) throws InterruptedException {
        JsonPath[] read = new JsonPath[1];
        await(() -> {
            Response r = Keys.admin("GET", "/admin/keys/" + id, null);
            read[0] = r.jsonPath();
            return r.statusCode() == 200 && read[0].get("usage") != null && read[0].getInt("usage.requests") >= 6;
        }, 5_000, "usage back in Redis");
        return read[0];
    }
}
