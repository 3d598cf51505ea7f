package dev.breakwater.factors;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The test gateway ({@code gateway-test.yaml}) plus the Factor Broker on a loopback fake: the seed's
 * factor_broker thresholds (5 failures, 3 successes, 3 retries) with timings small enough for tests
 * (10 s recovery: room for a few requests inside the open window on a loaded machine, which stalls for
 * seconds; retries a few milliseconds apart, 2 s per attempt, so a healthy answer is never cut), and one more declared dependency
 * to show that a YAML block alone creates a breaker.
 */
public class FactorTestProfile implements QuarkusTestProfile {

    static final String API_KEY = "fb-test-key-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("breakwater.dependencies.factor_broker.circuit-breaker.failure-threshold", "5"),
                Map.entry("breakwater.dependencies.factor_broker.circuit-breaker.recovery-timeout", "10s"),
                Map.entry("breakwater.dependencies.factor_broker.circuit-breaker.success-threshold", "3"),
                Map.entry("breakwater.dependencies.factor_broker.retry.max-retries", "3"),
                Map.entry("breakwater.dependencies.factor_broker.timeout", "2s"),
                Map.entry("breakwater.dependencies.factor_broker.retry.base-delay", "10ms"),
                Map.entry("breakwater.dependencies.factor_broker.retry.max-delay", "40ms"),
                Map.entry("breakwater.dependencies.factor_broker.retry.min-delay", "5ms"),
                Map.entry("breakwater.dependencies.erp_connector.circuit-breaker.failure-threshold", "10"),
                Map.entry("breakwater.dependencies.erp_connector.timeout", "60s"),
                Map.entry("breakwater.factors.api-key-env", "FACTOR_BROKER_TEST_KEY"),
                Map.entry("FACTOR_BROKER_TEST_KEY", API_KEY),
                Map.entry("breakwater.factors.cache-ttl", "1h"),
                Map.entry("breakwater.factors.defaults.test_fb_default.factor", "0.5"),
                Map.entry("breakwater.factors.defaults.test_fb_default.unit", "kgCO2e/kWh"),
                Map.entry("breakwater.factors.defaults.test_fb_default.reference", "test default"),
                Map.entry("breakwater.factors.defaults.test_fb_noref.factor", "2.5"),
                Map.entry("breakwater.factors.defaults.test_fb_noref.unit", "kgCO2e/litre"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FactorUpstreamResource.class));
    }
}
