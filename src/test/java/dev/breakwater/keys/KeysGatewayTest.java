package dev.breakwater.keys;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.telemetry.Scrape;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.shared.ChannelMembership;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.MinuteClock;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.breakwater.keys.Keys.chat;
import static dev.breakwater.testing.Poll.await;
import static dev.breakwater.keys.Keys.create;
import static dev.breakwater.keys.Keys.messages;
import static dev.breakwater.keys.Keys.uniqueName;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Caller keys on two replicas sharing the real Redis at 127.0.0.1:6379 (under a prefix of this run's own):
 * replica A is the gateway under test, answering HTTP; replica B is a {@link KeysReplica} in this JVM
 * with its own Redis connection, key cache and limiter.
 */
@QuarkusTest
@TestProfile(KeysProfile.class)
class KeysGatewayTest {

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    @Inject
    BreakerRegistry breakers;

    @Inject
    KeyCache keysOnA;

    @BeforeEach
    void freshMinute() {
        GatewayTestSupport.cleanSlate(breakers, null);
        ((MinuteClock) clock).nextMinute();
    }

    private KeysReplica replicaB() {
        return new KeysReplica(vertx, config, "redis://127.0.0.1:6379", clock);
    }

    @Test
    void sixCallsWithinRpmSixSplitOverBothReplicasPassAndTheSeventhIs429WithRetryAfter() throws Exception {
        JsonPath key = create(Map.of("name", uniqueName("rpm"), "models", List.of("chat"), "rpm", 6));
        String secret = key.getString("key");
        try (KeysReplica b = replicaB()) {
            await(() -> b.cache.find(secret).isPresent(), 5_000, "replica B knows the new key");
            for (int i = 0; i < 3; i++) {
                Response onA = chat(secret, "chat");
                assertEquals(200, onA.statusCode(), onA.asString());
                assertEquals("6", onA.header("x-ratelimit-limit-requests"));
                assertEquals(Integer.toString(5 - 2 * i), onA.header("x-ratelimit-remaining-requests"));
                assertTrue(onA.header("x-ratelimit-reset-requests").endsWith("s"));
                b.call(secret, "chat");
            }
            Response seventh = chat(secret, "chat");
            assertEquals(429, seventh.statusCode(), seventh.asString());
            assertEquals("rate_limit_exceeded", seventh.jsonPath().getString("error.code"));
            assertEquals("rate_limit_exceeded", seventh.jsonPath().getString("code"));
            long retryAfter = Long.parseLong(seventh.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals("0", seventh.header("x-ratelimit-remaining-requests"));
            KeyRefusal onB = assertThrows(KeyRefusal.class, () -> b.call(secret, "chat"));
            assertEquals("rate_limit_exceeded", onB.code());
        }
    }

    @Test
    void tokensPerMinuteCountTheAnswersUsage() {
        Upstreams.primary.fixedUsage(60, 0);
        String secret = create(Map.of("name", uniqueName("tpm"), "models", List.of("primary"), "tpm", 100)).getString("key");
        Response first = chat(secret, "primary");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("100", first.header("x-ratelimit-remaining-tokens"), "the window had no tokens when admitted");
        assertEquals(200, chat(secret, "primary").statusCode(), "60 of 100 tokens used: room left");
        Response third = chat(secret, "primary");
        assertEquals(429, third.statusCode(), "120 tokens used");
        assertEquals("rate_limit_exceeded", third.jsonPath().getString("error.code"));
        assertEquals("0", third.header("x-ratelimit-remaining-tokens"));
        assertNotNull(third.header("Retry-After"));
    }

    @Test
    void aStreamedCallCountsItsTokensAndTheCallerGetsNoUsageItDidNotAskFor() {
        Upstreams.primary.fixedUsage(60, 0);
        String secret = create(Map.of("name", uniqueName("tpm-stream"), "models", List.of("primary"), "tpm", 100)).getString("key");
        Map<String, Object> body = Map.of("model", "primary", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hello")));
        for (int call = 1; call <= 2; call++) {
            Response streamed = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + secret)
                    .body(body).post("/v1/chat/completions");
            assertEquals(200, streamed.statusCode(), streamed.asString());
            assertFalse(streamed.asString().contains("\"usage\""), "usage the caller did not ask for: " + streamed.asString());
            assertTrue(Upstreams.primary.lastRequest().json().path("stream_options").path("include_usage").asBoolean(),
                    "the gateway asks the upstream for the usage it counts");
        }
        Response third = chat(secret, "primary");
        assertEquals(429, third.statusCode(), "two streamed calls used 120 of 100 tokens: " + third.asString());
        assertEquals("rate_limit_exceeded", third.jsonPath().getString("error.code"));
    }

    @Test
    void aBudgetRunsOutAtTheExpectedCall() {
        // primary costs 2.50 USD / 1M prompt tokens and 10 USD / 1M completion tokens:
        // 1000 + 500 tokens = 0.0025 + 0.005 = 0.0075 USD a call; a 0.02 USD budget admits calls while spent < 0.02.
        Upstreams.primary.fixedUsage(1000, 500);
        JsonPath key = create(Map.of("name", uniqueName("budget"), "models", List.of("primary"), "budget_usd", 0.02));
        String secret = key.getString("key");
        long before = Upstreams.primary.totalRequests();
        for (int call = 1; call <= 3; call++) {
            Response ok = chat(secret, "primary");
            assertEquals(200, ok.statusCode(), "call " + call + ": " + ok.asString());
            assertEquals(0.0075, Double.parseDouble(ok.header("x-breakwater-cost-usd")), 1e-12);
        }
        Response fourth = chat(secret, "primary");
        assertEquals(429, fourth.statusCode(), fourth.asString());
        assertEquals("insufficient_quota", fourth.jsonPath().getString("error.code"));
        assertEquals("insufficient_quota", fourth.jsonPath().getString("error.type"));
        assertEquals(3, Upstreams.primary.totalRequests() - before, "the refused call reached no model");

        JsonPath usage = Keys.admin("GET", "/admin/keys/" + key.getString("id"), null).then().statusCode(200).extract().jsonPath();
        assertEquals(3, usage.getInt("usage.requests"));
        assertEquals(3000, usage.getInt("usage.prompt_tokens"));
        assertEquals(1500, usage.getInt("usage.completion_tokens"));
        assertEquals(0.0225, usage.getDouble("usage.cost_usd"), 1e-9);
        assertEquals(null, usage.getString("key"), "the secret is shown once, at creation");

        String name = key.getString("name");
        Scrape metrics = Scrape.now();
        assertEquals(3, metrics.value("breakwater_key_requests_total", "key", name));
        assertEquals(1, metrics.value("breakwater_key_limited_total", "key", name, "reason", "budget"));
        assertEquals(3000, metrics.value("breakwater_key_tokens_total", "key", name, "type", "prompt"));
        assertEquals(0.0225, metrics.value("breakwater_key_cost_usd_total", "key", name), 1e-9);
        assertEquals(0.02, metrics.value("breakwater_key_budget_usd", "key", name), 1e-9);
        assertEquals(0.0225, metrics.value("breakwater_key_spent_usd", "key", name), 1e-9);
        assertFalse(given().get("/q/metrics").asString().contains(secret), "metrics never show a secret");
    }

    @Test
    void aKeyRevokedOnOneReplicaIsRefusedOnTheOtherWithoutWaitingForTheResync() throws Exception {
        JsonPath first = create(Map.of("name", uniqueName("revoke-a"), "models", List.of("chat")));
        JsonPath second = create(Map.of("name", uniqueName("revoke-b"), "models", List.of("chat")));
        // Only the keys channel can carry a revocation faster than this: the table is re-read every sync-interval.
        long beforeResync = config.auth().syncInterval().toMillis() / 3;
        try (KeysReplica b = replicaB()) {
            await(() -> b.cache.find(first.getString("key")).isPresent() && b.cache.find(second.getString("key")).isPresent(),
                    5_000, "replica B knows both keys");
            // Set-up, not the property under test: joining the channel may take a retry on a loaded machine.
            await(() -> b.cache.channelState().orElseThrow() == ChannelMembership.State.JOINED, 20_000,
                    "replica B hears the keys channel");
            await(() -> keysOnA.channelState().orElseThrow() == ChannelMembership.State.JOINED, 20_000,
                    "replica A hears the keys channel");
            b.call(first.getString("key"), "chat");

            // Revoked on A (admin API): B refuses it.
            Keys.admin("DELETE", "/admin/keys/" + first.getString("id"), null).then().statusCode(204);
            long onB = await(() -> b.cache.find(first.getString("key")).isEmpty(), beforeResync,
                    "B refuses the key revoked on A");
            assertThrows(KeyRefusal.class, () -> b.call(first.getString("key"), "chat"));

            // Revoked on B (as B's admin API does): A answers 401.
            assertEquals(200, chat(second.getString("key"), "chat").statusCode());
            assertTrue(b.store.delete(second.getString("id")));
            b.cache.remove(second.getString("id"));
            long onA = await(() -> keysOnA.find(second.getString("key")).isEmpty(), beforeResync,
                    "A refuses the key revoked on B");
            assertEquals(401, chat(second.getString("key"), "chat").statusCode());
            System.out.printf("revocation: refused on the other replica after %d ms (B) and %d ms (A)%n", onB, onA);
        }
    }

    @Test
    void aModelOutsideTheKeyIs403BeforeAnyUpstreamCall() {
        String secret = create(Map.of("name", uniqueName("models"), "models", List.of("chat", "openai/*"))).getString("key");
        long before = Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests();
        Response outside = chat(secret, "primary");
        assertEquals(403, outside.statusCode(), outside.asString());
        assertEquals("model_not_allowed", outside.jsonPath().getString("error.code"));
        assertEquals("model", outside.jsonPath().getString("error.param"));
        assertEquals(before, Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests());
        assertEquals(200, chat(secret, "openai/gpt-4o-mini").statusCode(), "a route pattern of the key admits its ids");
    }

    @Test
    void theMessagesApiChecksTheKeyAndCountsTheAnswersUsage() {
        Upstreams.primary.fixedUsage(60, 0);
        String secret = create(Map.of("name", uniqueName("messages"), "models", List.of("primary"), "tpm", 100)).getString("key");
        long before = Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests();
        Response outside = messages(secret, "secondary");
        assertEquals(403, outside.statusCode(), outside.asString());
        assertEquals(before, Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests());
        Response first = messages(secret, "primary");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(200, messages(secret, "primary").statusCode(), "60 of 100 tokens used: room left");
        assertEquals(429, messages(secret, "primary").statusCode(), "120 tokens used: the Messages API's usage was counted");
    }

    @Test
    void embeddingsCheckTheKeysModelsAndCountItsTokensAndCost() {
        String chatOnly = create(Map.of("name", uniqueName("embed-outside"), "models", List.of("chat"))).getString("key");
        long before = Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests();
        Response outside = embed(chatOnly, "embeddings");
        assertEquals(403, outside.statusCode(), outside.asString());
        assertEquals("model_not_allowed", outside.jsonPath().getString("error.code"));
        assertEquals(before, Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests(), "no upstream was called");

        // The fake counts a word as a token: 4 a call. tpm 6 admits while the window has room: 0, then 4, then 8 is over.
        JsonPath key = create(Map.of("name", uniqueName("embed-tpm"), "models", List.of("embeddings"), "tpm", 6));
        String secret = key.getString("key");
        Response first = embed(secret, "embeddings");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("6", first.header("x-ratelimit-limit-tokens"));
        assertEquals("0.000000080", first.header("x-breakwater-cost-usd"), "4 tokens at 0.02 USD / 1M");
        assertEquals(200, embed(secret, "embeddings").statusCode(), "4 of 6 tokens used: room left");
        Response third = embed(secret, "embeddings");
        assertEquals(429, third.statusCode(), "8 tokens used: the embeddings' usage was counted: " + third.asString());
        assertEquals("rate_limit_exceeded", third.jsonPath().getString("error.code"));
        JsonPath usage = Keys.admin("GET", "/admin/keys/" + key.getString("id"), null).jsonPath();
        assertEquals(2, usage.getInt("usage.requests"));
        assertEquals(8, usage.getInt("usage.prompt_tokens"));

        String withFallbacks = create(Map.of("name", uniqueName("embed-fallbacks"), "models", List.of("embeddings"))).getString("key");
        Response refused = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + withFallbacks)
                .body(Map.of("model", "embeddings", "input", "office chairs", "fallbacks", List.of("embed-secondary")))
                .post("/v1/embeddings");
        assertEquals(403, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("error.message").contains("'embed-secondary'"), refused.asString());
    }

    private static Response embed(String secret, String model) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + secret)
                .body(Map.of("model", model, "input", "office chairs and desks")).post("/v1/embeddings");
    }

    @Test
    void aFallbacksEntryOutsideTheKeyIs403BeforeAnyUpstreamCall() {
        String secret = create(Map.of("name", uniqueName("fallbacks"), "models", List.of("chat"))).getString("key");
        long before = Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests() + Upstreams.claude.totalRequests();
        Response refused = chat(secret, "chat", "chat", "claude");
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals("model_not_allowed", refused.jsonPath().getString("error.code"));
        assertTrue(refused.jsonPath().getString("error.message").contains("'claude'"), refused.asString());
        assertEquals(before, Upstreams.primary.totalRequests() + Upstreams.secondary.totalRequests()
                + Upstreams.claude.totalRequests(), "no upstream was called");
    }

    @Test
    void noUnknownOrRevokedKeyIs401AndBothHeadersAreAccepted() {
        Response none = chat(null, "chat");
        assertEquals(401, none.statusCode());
        assertEquals("invalid_api_key", none.jsonPath().getString("error.code"));
        assertEquals("application/problem+json", none.contentType());
        assertEquals(401, chat("bw-not-a-key", "chat").statusCode());
        given().get("/v1/models").then().statusCode(401);

        String secret = create(Map.of("name", uniqueName("headers"))).getString("key");
        given().header("x-api-key", secret).get("/v1/models").then().statusCode(200);
        Response categorized = Keys.categorize(secret);
        assertEquals(200, categorized.statusCode(), categorized.asString());
        assertEquals("primary", categorized.jsonPath().getString("model"));
        assertTrue(categorized.jsonPath().getDouble("cost_usd") > 0, categorized.asString());
        assertEquals(categorized.jsonPath().getDouble("cost_usd"), Double.parseDouble(categorized.header("x-breakwater-cost-usd")), 1e-12);
        assertEquals(200, chat(KeysProfile.DECLARED_SECRET, "chat").statusCode(), "the key declared in YAML");
    }

    @Test
    void anUnpricedModelReportsNoCost() {
        Upstreams.primary.setFault(dev.breakwater.testing.Fault.serviceUnavailable());
        String secret = create(Map.of("name", uniqueName("unpriced"))).getString("key");
        Response r = chat(secret, "chat");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("secondary", r.header("x-breakwater-model"));
        assertEquals(null, r.header("x-breakwater-cost-usd"), "secondary has no price: no cost, never a guess");

        Upstreams.secondary.setFault(dev.breakwater.testing.Fault.serviceUnavailable());
        Upstreams.claude.setFault(dev.breakwater.testing.Fault.serviceUnavailable());
        Response local = Keys.categorize(secret);
        assertEquals(200, local.statusCode(), local.asString());
        assertEquals("local", local.jsonPath().getString("model"));
        assertNull(local.jsonPath().get("cost_usd"), "the local model has no price: " + local.asString());
        assertEquals(null, local.header("x-breakwater-cost-usd"));
    }

    @Test
    void pagesShowingInternalHostsNeedTheAdminTokenProbesStayOpen() {
        for (String page : List.of("/status", "/health/dependencies", "/health/circuit-breakers")) {
            given().get(page).then().statusCode(401);
            given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get(page).then().statusCode(200);
        }
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theAdminApiValidatesChangesAndProtectsYamlKeys() {
        JsonPath key = create(Map.of("name", uniqueName("admin"), "rpm", 5));
        String id = key.getString("id");
        assertTrue(key.getString("key").startsWith("bw-"));
        Keys.admin("PATCH", "/admin/keys/" + id, Map.of("rpm", 7, "models", List.of("primary"))).then().statusCode(200);
        JsonPath read = Keys.admin("GET", "/admin/keys/" + id, null).then().statusCode(200).extract().jsonPath();
        assertEquals(7, read.getInt("rpm"));
        assertEquals(List.of("primary"), read.getList("models"));
        assertEquals("30d", read.getString("budget_period"));
        assertEquals("model_not_allowed", chat(key.getString("key"), "chat").jsonPath().getString("error.code"),
                "the change is in force at once");

        Keys.admin("POST", "/admin/keys", Map.of("name", "bad name!")).then().statusCode(400);
        Keys.admin("POST", "/admin/keys", Map.of("name", uniqueName("x"), "rpm", -1)).then().statusCode(400);
        Keys.admin("POST", "/admin/keys", Map.of("name", uniqueName("x"), "budget_period", "soon")).then().statusCode(400);
        Keys.admin("POST", "/admin/keys", Map.of("name", read.getString("name"))).then().statusCode(409);
        Keys.admin("DELETE", "/admin/keys/yaml-declared", null).then().statusCode(409);
        Keys.admin("GET", "/admin/keys/nope", null).then().statusCode(404);
        given().get("/admin/keys").then().statusCode(401);
        List<String> names = Keys.admin("GET", "/admin/keys", null).then().statusCode(200).extract().jsonPath().getList("name");
        assertTrue(names.contains("declared") && names.contains(read.getString("name")), names.toString());
    }
}
