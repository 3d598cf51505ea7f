package dev.breakwater.resilience;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.TestConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DependenciesTest {

    private static final GatewayConfig CONFIG = TestConfigs.gateway(Map.of(
            "resilience.circuit-breaker.failure-threshold", "5",
            "resilience.circuit-breaker.recovery-timeout", "60s",
            "resilience.circuit-breaker.success-threshold", "3",
            "resilience.retry.max-retries", "3",
            "resilience.timeout.factor-broker", "30s",
            "resilience.timeout.erp-connector", "60s",
            "dependencies.llm_service.circuit-breaker.failure-threshold", "3",
            "dependencies.llm_service.circuit-breaker.recovery-timeout", "30s",
            "dependencies.erp_connector.retry.max-retries", "1",
            "dependencies.erp_connector.timeout", "90s"));

    // Registration needs SmallRye's CDI-backed guards; FactorResourceTest covers it inside Quarkus.
    private final Dependencies dependencies = new Dependencies(CONFIG, null);

    @Test
    void overridesReplaceOnlyTheValuesTheyName() {
        ResiliencePolicy llm = dependencies.policy("llm_service");
        assertEquals(new BreakerSettings(3, Duration.ofSeconds(30), 3), llm.breaker(), "success threshold from the global block");
        assertEquals(3, llm.retry().maxRetries());
        assertEquals(Duration.ofSeconds(45), llm.timeout(), "llm_service takes resilience.timeout.llm-api");
    }

    @Test
    void aDeclaredTimeoutWinsOverTheNamedGlobalOne() {
        ResiliencePolicy erp = dependencies.policy("erp_connector");
        assertEquals(Duration.ofSeconds(90), erp.timeout());
        assertEquals(1, erp.retry().maxRetries());
        assertEquals(new BreakerSettings(5, Duration.ofSeconds(60), 3), erp.breaker());
    }

    @Test
    void undeclaredServicesGetTheGlobalSettingsAndTheirNamedTimeout() {
        ResiliencePolicy broker = dependencies.policy(Dependencies.FACTOR_BROKER);
        assertEquals(new BreakerSettings(5, Duration.ofSeconds(60), 3), broker.breaker());
        assertEquals(Duration.ofSeconds(30), broker.timeout());
        assertEquals(Duration.ofSeconds(30), dependencies.policy("some_crm").timeout(), "the default timeout");
    }
}
