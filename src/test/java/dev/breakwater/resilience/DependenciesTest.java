package dev.breakwater.resilience;

import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfigLoader;
import dev.breakwater.config.TestGatewayConfig;
import io.smallrye.config.source.yaml.YamlConfigSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependenciesTest {

    private static final GatewayConfig CONFIG = TestGatewayConfig.of(Map.of(
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

    @Test
    void theShippedGatewayYamlDeclaresTheSeedTableAndIsValid() throws IOException {
        GatewayConfig shipped = GatewayConfigLoader.load(new YamlConfigSource(Path.of("config/gateway.yaml").toUri().toURL(), 100));
        assertEquals(List.of(), ConfigValidator.problems(shipped, Set.of("ghg-scope3")));
        Dependencies table = new Dependencies(shipped, null);

        ResiliencePolicy broker = table.policy(Dependencies.FACTOR_BROKER);
        assertEquals(new BreakerSettings(5, Duration.ofSeconds(60), 3), broker.breaker());
        assertEquals(3, broker.retry().maxRetries());
        assertEquals(Duration.ofSeconds(30), broker.timeout());
        assertEquals(new BreakerSettings(3, Duration.ofSeconds(30), 2), table.policy("llm_service").breaker());
        ResiliencePolicy erp = table.policy("erp_connector");
        assertEquals(new BreakerSettings(10, Duration.ofSeconds(120), 5), erp.breaker());
        assertEquals(Duration.ofSeconds(60), erp.timeout());
        assertEquals(Set.of("factor_broker", "llm_service", "erp_connector"), shipped.dependencies().keySet());
        assertTrue(shipped.factors().defaults().containsKey("electricity_grid"));
    }
}
