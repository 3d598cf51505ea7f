package dev.breakwater.chain;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routed model ids come from callers: everything kept per id (breaker, metric series, chain counters,
 * SmallRye's own breaker registry) is bounded by {@code openai.max-routed-models} and goes on eviction.
 */
@QuarkusTest
@TestProfile(RoutedModelsBoundTest.ThreeRouted.class)
@WithTestResource(Upstreams.class)
class RoutedModelsBoundTest {

    static final String TOKEN = "routed-admin-token-0123456789";
    private static final Pattern REQUEST_MODEL = Pattern.compile(
            "^breakwater_(?:request_duration|tokens)\\w*\\{[^}]*model=\"(openai/[^\"]+)\"", Pattern.MULTILINE);
    private static final Pattern SERVICE = Pattern.compile("^circuit_breaker_\\w+\\{[^}]*service=\"(openai/[^\"]+)\"", Pattern.MULTILINE);

    /** Routed ids take the global breaker settings: a 10 s recovery keeps an opened one open while a loaded machine looks. */
    public static class ThreeRouted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.openai.max-routed-models", "3", "breakwater.admin.token", TOKEN,
                    "breakwater.resilience.circuit-breaker.recovery-timeout", "10s");
        }
    }

    @Inject
    BreakerRegistry breakers;
    @Inject
    FallbackManager fallback;

    @BeforeEach
    void clean() {
        Upstreams.restoreDefaults();
    }

    private static io.restassured.response.ValidatableResponse chat(String model) {
        return given().contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then();
    }

    private static Set<String> routedSeriesServices() {
        return matches(SERVICE);
    }

    private static Set<String> matches(Pattern pattern) {
        Matcher m = pattern.matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        Set<String> services = new java.util.HashSet<>();
        while (m.find()) {
            services.add(m.group(1));
        }
        return services;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> smallRyeNames(String prefix) throws Exception {
        Object maintenance = CircuitBreakerMaintenance.get();
        for (Class<?> c = maintenance.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("registry") || f.getName().equals("knownNames")) {
                    f.setAccessible(true);
                    Object v = f.get(maintenance);
                    Iterable<String> names = v instanceof Map<?, ?> map ? (Iterable<String>) map.keySet() : (Iterable<String>) v;
                    Set<String> out = new java.util.HashSet<>();
                    names.forEach(n -> {
                        if (n.startsWith(prefix)) {
                            out.add(n);
                        }
                    });
                    if (!out.isEmpty()) {
                        return out;
                    }
                }
            }
        }
        return Set.of();
    }

    @Test
    void everythingKeptPerRoutedIdIsBoundedAndGoesOnEviction() throws Exception {
        for (int i = 0; i < 12; i++) {
            chat("openai/bound-" + i).statusCode(200);
        }
        Set<String> routed = breakers.all().stream().map(ResilientClient::service)
                .filter(s -> s.startsWith("openai/bound-")).collect(Collectors.toSet());
        assertEquals(Set.of("openai/bound-9", "openai/bound-10", "openai/bound-11"), routed);
        Set<String> series = routedSeriesServices().stream().filter(s -> s.startsWith("openai/bound-")).collect(Collectors.toSet());
        assertEquals(routed, series, "circuit_breaker_* series of evicted ids are removed");
        Set<String> requestSeries = matches(REQUEST_MODEL).stream().filter(s -> s.startsWith("openai/bound-")).collect(Collectors.toSet());
        assertEquals(routed, requestSeries, "breakwater_request_duration and breakwater_tokens series of evicted ids are removed");
        Set<String> counted = fallback.metrics().keySet().stream().filter(s -> s.startsWith("openai/bound-")).collect(Collectors.toSet());
        assertEquals(routed, counted, "chain counters of evicted ids are removed");
        assertTrue(smallRyeNames("openai/bound-").size() <= 3, "SmallRye's registry: " + smallRyeNames("openai/bound-"));
    }

    @Test
    void anIdThatComesBackStartsFresh() {
        Upstreams.routed.setFault(Fault.serviceUnavailable());
        chat("openai/fresh-0");
        chat("openai/fresh-0");
        assertEquals(BreakerState.OPEN, breakers.find("openai/fresh-0").orElseThrow().state());
        Upstreams.routed.restoreDefaults();
        for (int i = 1; i <= 3; i++) {
            chat("openai/fresh-" + i).statusCode(200);
        }
        assertTrue(breakers.find("openai/fresh-0").isEmpty(), "evicted");
        assertTrue(routedSeriesServices().stream().noneMatch("openai/fresh-0"::equals));
        chat("openai/fresh-0").statusCode(200);
        assertEquals(BreakerState.CLOSED, breakers.find("openai/fresh-0").orElseThrow().state());
        assertEquals(0, breakers.find("openai/fresh-0").orElseThrow().stats().failedCalls());
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("circuit_breaker_failures_total{service=\"openai/fresh-0\"} 0.0"), "counters start at zero");
    }

    @Test
    void anAdminChangeOnARoutedModelWorksAndSurvivesEviction() {
        chat("openai/admin-0").statusCode(200);
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"failure_threshold\": 7}")
                .put("/admin/circuit-breakers/{name}/config", "openai/admin-0")
                .then().statusCode(200).body("settings.failure_threshold", equalTo(7));
        chat("openai/admin-0").statusCode(200);
        for (int i = 1; i <= 3; i++) {
            chat("openai/admin-" + i).statusCode(200);
        }
        assertTrue(breakers.find("openai/admin-0").isEmpty(), "evicted");
        chat("openai/admin-0").statusCode(200);
        assertEquals(7, breakers.find("openai/admin-0").orElseThrow().policy().breaker().failureThreshold(),
                "the operator's settings outlive the eviction");
    }
}
