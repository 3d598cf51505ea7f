package dev.breakwater.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code deployments:} form of a model: what is accepted, and every mistake named by its key. */
class ConfigValidatorDeploymentsTest {

    /** gpt-4o as models[1], after TestGatewayConfig's local model (models[0]). */
    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("models[1].name", "gpt-4o");
        p.put("models[1].deployments[0].provider", "openai");
        p.put("models[1].deployments[0].base-url", "https://api.openai.com/v1");
        p.put("models[1].deployments[0].weight", "3");
        p.put("models[1].deployments[1].provider", "openai");
        p.put("models[1].deployments[1].base-url", "https://eu.example.com/v1");
        p.put("models[1].deployments[1].name", "gpt-4o-eu");
        return p;
    }

    private static List<String> problems(Map<String, String> properties) {
        return ConfigValidator.problems(TestGatewayConfig.of(properties), Set.of("ghg-scope3"));
    }

    @Test
    void deploymentsAreNamedByIndexOrByName() {
        GatewayConfig config = TestGatewayConfig.of(valid());
        assertEquals(List.of(), ConfigValidator.problems(config, Set.of("ghg-scope3")));
        List<EndpointConfig> endpoints = EndpointConfig.of(config.models().get(1));
        assertEquals(List.of("gpt-4o/0", "gpt-4o-eu"), endpoints.stream().map(EndpointConfig::service).toList());
        assertEquals(List.of(3, 1), endpoints.stream().map(EndpointConfig::weight).toList());
        assertEquals("gpt-4o", endpoints.get(0).modelId(), "the model id defaults to the model's name");
        assertEquals(List.of("local"), EndpointConfig.of(config.models().get(0)).stream().map(EndpointConfig::service).toList());
    }

    @Test
    void endpointSettingsOnAModelWithDeploymentsAreRefused() {
        Map<String, String> p = valid();
        p.put("models[1].provider", "openai");
        assertTrue(problems(p).stream().anyMatch(s -> s.startsWith("breakwater.models[1] (gpt-4o) lists deployments")), problems(p).toString());
    }

    @Test
    void aModelNeedsAProviderOrDeployments() {
        Map<String, String> p = valid();
        p.keySet().removeIf(k -> k.startsWith("models[1].deployments"));
        assertTrue(problems(p).contains("breakwater.models[1] (gpt-4o) needs a provider, or a list of deployments"), problems(p).toString());
    }

    @Test
    void breakerNamesMustBeUniqueAcrossModelsAndDeployments() {
        Map<String, String> twice = valid();
        twice.put("models[1].deployments[0].name", "gpt-4o-eu");
        assertTrue(problems(twice).stream().anyMatch(s -> s.startsWith("breakwater.models[1].deployments[1].name 'gpt-4o-eu' is used twice")),
                problems(twice).toString());
        Map<String, String> clash = valid();
        clash.put("models[1].deployments[1].name", "local");
        assertTrue(problems(clash).stream().anyMatch(s -> s.contains("'local' names both a model and a deployment")), problems(clash).toString());
    }

    @Test
    void badDeploymentValuesAreNamedByTheirKey() {
        Map<String, String> p = valid();
        p.put("models[1].deployments[0].weight", "0");
        p.put("models[1].deployments[1].base-url", "eu.example.com");
        p.put("models[1].deployments[1].provider", "local");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.models[1].deployments[0].weight must be positive, got 0"), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[1].deployments[1].base-url must start with http")), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[1].deployments[1].provider local cannot be a deployment")), problems.toString());
    }

    @Test
    void eachProviderGetsWhatItNeeds() {
        Map<String, String> p = valid();
        p.put("models[1].deployments[1].provider", "azure-openai");
        p.remove("models[1].deployments[1].base-url");
        p.put("models[2].name", "claude-bedrock");
        p.put("models[2].provider", "bedrock");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.models[1].deployments[1].base-url is required for azure-openai (https://{resource}.openai.azure.com)"),
                problems.toString());
        assertTrue(problems.contains("breakwater.models[1].deployments[1] (azure-openai) needs api-key-env or azure-ad-token-env"),
                problems.toString());
        assertTrue(problems.contains("breakwater.models[2].region is required for bedrock (e.g. eu-west-1), got nothing"), problems.toString());
        p.put("models[1].deployments[1].base-url", "https://r.openai.azure.com");
        p.put("models[1].deployments[1].azure-ad-token-env", "AZURE_TOKEN");
        p.put("models[2].region", "eu-west-1");
        assertEquals(List.of(), problems(p));
    }
}
