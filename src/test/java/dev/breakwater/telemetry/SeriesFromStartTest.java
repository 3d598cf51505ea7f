package dev.breakwater.telemetry;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fresh gateway on the shipped configuration, without API keys: every breaker's families are on
 * /q/metrics before any traffic, and the local model answering counts as a fallback of the chain's
 * first model.
 */
@QuarkusTest
@TestProfile(OfflineProfile.class)
class SeriesFromStartTest {

    @Inject
    BreakerRegistry breakers;

    @Test
    void everyBreakerHasAllEightFamiliesAtZeroFromStartThenTheLocalModelCountsAsAFallback() {
        List<String> services = breakers.all().stream().map(ResilientClient::service).sorted().toList();
        assertEquals(List.of("claude-3-sonnet", "erp_connector", "factor_broker", "gpt-3.5-turbo", "gpt-4o", "llm_service",
                "local", "redis"), services, "the breakers of config/gateway.yaml");

        Scrape fresh = Scrape.now();
        Map<String, List<String>> wrong = new TreeMap<>();
        services.forEach(s -> {
            List<String> missing = BreakerSeries.missingOrNonZero(fresh, s);
            if (!missing.isEmpty()) {
                wrong.put(s, missing);
            }
        });
        assertEquals(Map.of(), wrong, "series missing or not at 0 on a fresh start");

        categorize("Delta flight tickets for the sales team " + UUID.randomUUID()).statusCode(200)
                .body("source", equalTo("local")).body("degraded", equalTo(true));
        Scrape after = Scrape.now();
        assertEquals(1, after.delta(fresh, "circuit_breaker_fallback_usage_total", "service", "gpt-4o", "fallback", "local"),
                "the local model answering for keyless cloud models is a fallback of the chain's first model");
        assertEquals(1, after.delta(fresh, "circuit_breaker_fallback_usage_total"), "one answer, one fallback");
    }
}
