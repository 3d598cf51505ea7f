package dev.breakwater.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValidatorDependenciesTest {

    @Test
    void theShippedSettingsOfTheDependenciesAndFactorsAreValid() {
        List<String> problems = problems(Map.of(
                "dependencies.erp_connector.circuit-breaker.failure-threshold", "10",
                "dependencies.erp_connector.timeout", "60s",
                "factors.base-url", "http://127.0.0.1:8091",
                "factors.defaults.electricity_grid.factor", "0.207",
                "factors.defaults.electricity_grid.unit", "kgCO2e/kWh"));
        assertEquals(List.of(), problems);
    }

    @Test
    void everyProblemNamesItsKey() {
        List<String> problems = problems(Map.of(
                "dependencies.erp_connector.circuit-breaker.failure-threshold", "0",
                "dependencies.erp_connector.retry.max-retries", "-1",
                "dependencies.llm_service.timeout", "0s",
                "factors.base-url", "ftp://broker",
                "factors.cache-ttl", "500ms",
                "factors.defaults.Gas.factor", "1",
                "factors.defaults.Gas.unit", "kg",
                "factors.defaults.diesel.factor", "NaN",
                "factors.defaults.diesel.unit", " "));
        for (String key : new String[]{
                "breakwater.dependencies.erp_connector.circuit-breaker.failure-threshold must be between 1 and 1000",
                "breakwater.dependencies.erp_connector.retry.max-retries must be between 0 and 10",
                "breakwater.dependencies.llm_service.timeout must be positive",
                "breakwater.factors.base-url must start with http:// or https://",
                "breakwater.factors.cache-ttl must be at least 1s",
                "breakwater.factors.defaults.Gas: a category must be",
                "breakwater.factors.defaults.diesel.factor must be a finite number",
                "breakwater.factors.defaults.diesel.unit must not be blank"}) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(key)), key + " not in " + problems);
        }
        assertEquals(8, problems.size(), problems.toString());
    }

    private static List<String> problems(Map<String, String> properties) {
        return ConfigValidator.problems(TestGatewayConfig.of(properties), Set.of("ghg-scope3"));
    }
}
