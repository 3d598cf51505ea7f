package dev.breakwater.factors;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.Dependencies;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.testing.FakeResponse;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Fault;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three tiers against a real loopback upstream and the real Redis. With 3 retries (the global
 * setting), one failing request costs the upstream exactly 4 calls, which makes the counts exact.
 */
@QuarkusTest
@TestProfile(FactorTestProfile.class)
class FactorResourceTest {

    private static final String API = "test_fb_api";
    private static final String WITH_DEFAULT = "test_fb_default";
    private static final String NO_DEFAULT = "test_fb_none";
    private static final String UNKNOWN = "test_fb_unknown";
    private static final String DEFAULT_WITHOUT_REFERENCE = "test_fb_noref";
    private static final String[] CATEGORIES = {API, WITH_DEFAULT, NO_DEFAULT, UNKNOWN, DEFAULT_WITHOUT_REFERENCE};

    FakeUpstream upstream;

    @Inject
    BreakerRegistry breakers;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void clean() {
        upstream.restoreDefaults();
        breaker().reset();
        redis.key().del(keys());
    }

    @AfterEach
    void removeKeys() {
        redis.key().del(keys());
    }

    @Test
    void normalAnswerComesFromTheApiAndIsCachedWithTheConfiguredTtl() {
        get(API).statusCode(200)
                .body("category", equalTo(API))
                .body("factor", equalTo(0.233f))
                .body("unit", equalTo("kgCO2e/kWh"))
                .body("reference", equalTo("fake"))
                .body("source", equalTo("api"))
                .body("degraded", equalTo(false))
                .body("retrieved_at", notNullValue())
                .body("cache_age_seconds", nullValue());

        assertEquals(1, upstream.requestCount("/v1/factors/" + API));
        assertEquals("Bearer " + FactorTestProfile.API_KEY, upstream.lastRequest().header("authorization"));
        long ttl = redis.key().ttl(FactorCache.key(API));
        assertTrue(ttl > 3500 && ttl <= 3600, "cache-ttl 1h from the profile, got " + ttl + " s");
    }

    @Test
    void failingUpstreamServesTheCachedValueWithItsAge() {
        get(API).statusCode(200).body("source", equalTo("api"));
        upstream.setFault(Fault.serviceUnavailable());
        double fallbacks = fallbackUsage("cache");

        get(API).statusCode(200)
                .body("factor", equalTo(0.233f))
                .body("source", equalTo("cache"))
                .body("degraded", equalTo(true))
                .body("degraded_reason", containsString("overloaded"))
                .body("cache_age_seconds", greaterThanOrEqualTo(0));

        assertEquals(1 + 4, upstream.requestCount(), "one success, then a first try and 3 retries");
        assertEquals(fallbacks + 1, fallbackUsage("cache"), "a fallback of the factor broker, served from the cache");
    }

    private static double fallbackUsage(String fallback) {
        return dev.breakwater.telemetry.Scrape.now().value("circuit_breaker_fallback_usage_total",
                "service", "factor_broker", "fallback", fallback);
    }

    @Test
    void breakerOpensAfterFiveFailuresAndTheUpstreamSeesNoMoreCallsWhileOpen() {
        get(API).statusCode(200);
        breaker().reset();
        upstream.clearRecordings();
        upstream.setFault(Fault.serviceUnavailable());

        get(WITH_DEFAULT).statusCode(200).body("source", equalTo("default"));
        assertEquals(4, upstream.requestCount());
        assertEquals(BreakerState.CLOSED, breaker().state());

        get(WITH_DEFAULT).statusCode(200).body("source", equalTo("default"));
        assertEquals(5, upstream.requestCount(), "the fifth failure opens the breaker; the retry after it is refused");
        assertEquals(BreakerState.OPEN, breaker().state());

        long blocked = breaker().stats().blockedCalls();
        get(WITH_DEFAULT).statusCode(200).body("source", equalTo("default"))
                .body("degraded_reason", containsString("circuit breaker open"));
        get(API).statusCode(200).body("source", equalTo("cache"));
        get(NO_DEFAULT).statusCode(503);
        assertTrue(breaker().isOpenAndWaiting(), "the requests above ran inside the 10 s open window");
        assertEquals(5, upstream.requestCount(), "no call reaches the upstream while the breaker is open");
        assertEquals(blocked + 3, breaker().stats().blockedCalls());
    }

    @Test
    void breakerRecoversAfterTheRecoveryTimeoutWithThreeSuccesses() throws InterruptedException {
        upstream.setFault(Fault.serviceUnavailable());
        get(WITH_DEFAULT);
        get(WITH_DEFAULT);
        assertEquals(BreakerState.OPEN, breaker().state());
        Instant openedAt = breakers.recentTransitions().stream()
                .filter(t -> t.service().equals(Dependencies.FACTOR_BROKER) && t.to() == BreakerState.OPEN)
                .findFirst().orElseThrow().at();
        upstream.setFault(Fault.ok());
        upstream.clearRecordings();

        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (breaker().isOpenAndWaiting() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertFalse(breaker().isOpenAndWaiting(), "still open 30 s after a 10 s recovery timeout");
        Duration open = Duration.between(openedAt, Instant.now());
        assertTrue(open.compareTo(Duration.ofMillis(9_990)) >= 0, "recovery timeout 10 s, open for " + open);
        assertEquals(0, upstream.requestCount(), "no call while open");

        get(API).statusCode(200).body("source", equalTo("api"));
        assertEquals(BreakerState.HALF_OPEN, breaker().state());
        get(API).statusCode(200).body("source", equalTo("api"));
        assertEquals(BreakerState.HALF_OPEN, breaker().state());
        get(API).statusCode(200).body("source", equalTo("api"));
        assertEquals(BreakerState.CLOSED, breaker().state(), "success threshold 3");
        assertEquals(3, upstream.requestCount());
    }

    @Test
    void withNothingCachedTheConfiguredDefaultIsServedAsDegraded() {
        upstream.setFault(Fault.serviceUnavailable());
        double fallbacks = fallbackUsage("default");

        get(WITH_DEFAULT).statusCode(200)
                .body("category", equalTo(WITH_DEFAULT))
                .body("factor", equalTo(0.5f))
                .body("unit", equalTo("kgCO2e/kWh"))
                .body("reference", equalTo("test default"))
                .body("source", equalTo("default"))
                .body("degraded", equalTo(true))
                .body("degraded_reason", containsString("nothing cached"))
                .body("cache_age_seconds", nullValue());
        get(DEFAULT_WITHOUT_REFERENCE).statusCode(200)
                .body("factor", equalTo(2.5f))
                .body("unit", equalTo("kgCO2e/litre"))
                .body("source", equalTo("default"))
                .body("$", not(hasKey("reference")));
        assertEquals(fallbacks + 2, fallbackUsage("default"), "two answers from the defaults table");
    }

    @Test
    void withNoDefaultAndNothingCachedTheAnswerIs503NeverAnInventedNumber() {
        upstream.setFault(Fault.serviceUnavailable());

        get(NO_DEFAULT).statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("title", equalTo("Emission factor unavailable"))
                .body("detail", containsString("'" + NO_DEFAULT + "' is unavailable"))
                .body("detail", containsString("overloaded"))
                .body("detail", containsString("no default"))
                .body("category", equalTo(NO_DEFAULT))
                .body("factor", nullValue());
    }

    @Test
    void upstream404IsRelayedNotRetriedAndNeverOpensTheBreaker() {
        upstream.factorResponse(category -> FakeResponse.of(404, "{\"error\":\"no such category\"}"));

        for (int i = 0; i < 7; i++) {
            get(UNKNOWN).statusCode(404)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Unknown emission factor category"))
                    .body("category", equalTo(UNKNOWN));
        }
        assertEquals(7, upstream.requestCount(), "one call per request: a 404 is not retried");
        assertEquals(BreakerState.CLOSED, breaker().state());
        assertEquals(0, breaker().stats().failureCount());
        assertFalse(redis.key().exists(FactorCache.key(UNKNOWN)));
    }

    @Test
    void invalidCategoriesAre400WithoutCallingTheUpstream() {
        for (String bad : new String[]{"Electricity", "a-b", "a%20b", "x".repeat(65), "%C3%A9"}) {
            given().urlEncodingEnabled(false).get("/v1/factors/" + bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("category"))
                    .body("detail", containsString("a-z, 0-9 and _"));
        }
        get("x".repeat(64)).statusCode(200);
        assertEquals(1, upstream.requestCount());
    }

    @Test
    void aSilentUpstreamTimesOutAndTheFallbackAnswers() {
        upstream.setFault(Fault.hang());
        long start = System.nanoTime();

        get(WITH_DEFAULT).statusCode(200).body("source", equalTo("default"))
                .body("degraded_reason", containsString("timeout"));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1_950 && millis < 8_000, "per-attempt timeout 2 s, not retried, below the 10 s request deadline; took " + millis + " ms");
        assertEquals(1, upstream.requestCount());
    }

    @Test
    void anAnswerWithoutANumberIsNeitherServedNorCached() {
        upstream.factorResponse(category -> FakeResponse.ok("{\"category\":\"" + category + "\",\"factor\":\"high\"}"));

        get(WITH_DEFAULT).statusCode(200).body("source", equalTo("default"))
                .body("degraded_reason", containsString("no numeric 'factor'"));
        assertNull(redis.value(String.class).get(FactorCache.key(WITH_DEFAULT)));
        assertEquals(1, upstream.requestCount(), "a bad answer is not retried");
    }

    @Test
    void aDeclaredDependencyHasItsBreakerFromStartUp() {
        ResilientClient erp = breakers.find("erp_connector").orElseThrow(() -> new AssertionError("erp_connector has no breaker"));
        assertEquals(new BreakerSettings(10, Duration.ofSeconds(1), 1), erp.stats().settings(),
                "threshold from its block, the rest from gateway-test.yaml's global 3 / 1 s / 1");
        assertEquals(Duration.ofSeconds(60), erp.policy().timeout());
        assertEquals(new BreakerSettings(5, Duration.ofSeconds(10), 3), breaker().stats().settings());
        assertEquals(3, breaker().policy().retry().maxRetries());
    }

    private static ValidatableResponse get(String category) {
        return given().get("/v1/factors/" + category).then();
    }

    private ResilientClient breaker() {
        return breakers.find(Dependencies.FACTOR_BROKER).orElseThrow();
    }

    private static String[] keys() {
        String[] keys = new String[CATEGORIES.length + 1];
        for (int i = 0; i < CATEGORIES.length; i++) {
            keys[i] = FactorCache.key(CATEGORIES[i]);
        }
        keys[CATEGORIES.length] = FactorCache.key("x".repeat(64));
        return keys;
    }
}
