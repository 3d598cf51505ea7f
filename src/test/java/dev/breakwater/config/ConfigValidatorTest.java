package dev.breakwater.config;

import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValidatorTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("breakwater.models[0].name", "gpt-4o");
        p.put("breakwater.models[0].provider", "openai");
        p.put("breakwater.models[0].base-url", "https://api.openai.com/v1");
        p.put("breakwater.models[1].name", "local");
        p.put("breakwater.models[1].provider", "local");
        p.put("breakwater.chains.categorizer.models[0]", "gpt-4o");
        p.put("breakwater.chains.categorizer.models[1]", "local");
        return p;
    }

    private static GatewayConfig load(Map<String, String> properties) {
        return GatewayConfigLoader.load(new PropertiesConfigSource(properties, "test", 100));
    }

    private static List<String> problems(Map<String, String> properties) {
        return ConfigValidator.problems(load(properties), Set.of("ghg-scope3"));
    }

    @Test
    void theSeedDefaultsAreValid() {
        GatewayConfig config = load(valid());
        assertEquals(List.of(), ConfigValidator.problems(config, Set.of("ghg-scope3")));
        assertEquals(5, config.resilience().circuitBreaker().failureThreshold());
        assertEquals(60, config.resilience().circuitBreaker().recoveryTimeout().toSeconds());
        assertEquals(3, config.resilience().circuitBreaker().successThreshold());
        assertEquals(3, config.resilience().retry().maxRetries());
        assertEquals(10, config.resilience().retry().maxDelay().toSeconds());
        assertEquals(45, config.resilience().timeout().llmApi().toSeconds());
        assertEquals(60, config.requestDeadline().toSeconds());
        assertEquals(0.6, config.minQuality());
    }

    @Test
    void theWarmUpIsOffByDefaultAndItsBoundsAndNameAreChecked() {
        assertEquals(0, load(valid()).warmUp().requests());
        Map<String, String> p = valid();
        p.put("breakwater.warm-up.requests", "-1");
        p.put("breakwater.warm-up.max-duration", "11m");
        p.put("breakwater.warm-up.concurrency", "0");
        p.put("breakwater.models[1].name", "breakwater-warm-up");
        p.put("breakwater.chains.categorizer.models[1]", "breakwater-warm-up");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.warm-up.requests must be between 0 (off) and 10000000, not -1"), problems.toString());
        assertTrue(problems.contains("breakwater.warm-up.max-duration must be between 1s and 600s, not 660s"), problems.toString());
        assertTrue(problems.contains("breakwater.warm-up.concurrency must be between 1 and 256, not 0"), problems.toString());
        assertTrue(problems.contains("breakwater.models/chains: the name breakwater-warm-up is the gateway's own (warm-up); choose another"),
                problems.toString());
    }

    @Test
    void maxInFlightIsDerivedFromTheHeapUnlessSetAndMustBePositiveWhenSet() {
        assertTrue(load(valid()).maxInFlight().isEmpty());
        Map<String, String> p = valid();
        p.put("breakwater.max-in-flight", "0");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.max-in-flight must be positive, got 0"), problems.toString());
        p.put("breakwater.max-in-flight", "10000");
        assertEquals(List.of(), problems(p));
    }

    @Test
    void redisPrefixesMayNotBreakTheClusterHashTagsTheyGoInto() {
        Map<String, String> p = valid();
        p.put("breakwater.resilience.shared-prefix", "bw{x");
        p.put("breakwater.auth.redis-prefix", "team}a");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.resilience.shared-prefix must not contain '{' or '}', got 'bw{x'"), problems.toString());
        assertTrue(problems.contains("breakwater.auth.redis-prefix must not contain '{' or '}', got 'team}a'"), problems.toString());
    }

    @Test
    void routesAreOptionalAndBadOnesAreNamedByTheirKey() {
        GatewayConfig plain = load(valid());
        assertEquals(List.of(), plain.routes());
        assertEquals(10, plain.openai().firstTokenTimeout().toSeconds());
        assertEquals(10, plain.openai().idleTimeout().toSeconds());

        Map<String, String> p = valid();
        p.put("breakwater.routes[0].match", "openai/*");
        p.put("breakwater.routes[0].base-url", "https://api.openai.com/v1");
        p.put("breakwater.routes[1].match", "open*ai/");
        p.put("breakwater.routes[1].base-url", "api.example.com");
        List<String> problems = problems(p);
        assertEquals(List.of(
                "breakwater.routes[1].match must be 'prefix/*' or '*' (one trailing *), got 'open*ai/'",
                "breakwater.routes[1].base-url must start with http:// or https://, got 'api.example.com'"), problems);
    }

    @Test
    void sharedStateIsOffByDefaultAndItsPrefixMustBeOneWord() {
        GatewayConfig plain = load(valid());
        assertEquals(GatewayConfig.SharedState.NONE, plain.resilience().sharedState());
        assertEquals("breakwater", plain.resilience().sharedPrefix());

        Map<String, String> p = valid();
        p.put("breakwater.resilience.shared-state", "redis");
        p.put("breakwater.resilience.shared-prefix", "two words");
        assertEquals(GatewayConfig.SharedState.REDIS, load(p).resilience().sharedState());
        assertEquals(List.of("breakwater.resilience.shared-prefix must be a non-blank word, got 'two words'"), problems(p));
    }

    @Test
    void negativeThresholdIsNamedByItsKey() {
        Map<String, String> p = valid();
        p.put("breakwater.resilience.circuit-breaker.failure-threshold", "-1");
        p.put("breakwater.models[0].circuit-breaker.success-threshold", "0");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.resilience.circuit-breaker.failure-threshold must be between 1 and 1000, got -1"), problems.toString());
        assertTrue(problems.contains("breakwater.models[0].circuit-breaker.success-threshold must be between 1 and 1000, got 0"), problems.toString());
    }

    @Test
    void resilienceSettingsOutsideTheAdminLimitsAreRefusedAtStartUp() {
        Map<String, String> p = valid();
        p.put("breakwater.resilience.circuit-breaker.failure-threshold", "300000000");
        p.put("breakwater.resilience.retry.max-retries", "11");
        p.put("breakwater.resilience.retry.min-delay", "2s");
        p.put("breakwater.resilience.retry.max-delay", "1s");
        p.put("breakwater.models[0].timeout", "25h");
        p.put("breakwater.models[0].circuit-breaker.success-threshold", "1001");
        p.put("breakwater.models[0].circuit-breaker.recovery-timeout", "999999999d");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.resilience.circuit-breaker.failure-threshold must be between 1 and 1000, got 300000000"), problems.toString());
        assertTrue(problems.contains("breakwater.resilience.retry.max-retries must be between 0 and 10, got 11"), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.resilience.retry.min-delay must not exceed max-delay")), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[0].timeout must be at most 24h")), problems.toString());
        assertTrue(problems.contains("breakwater.models[0].circuit-breaker.success-threshold must be between 1 and 1000, got 1001"), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[0].circuit-breaker.recovery-timeout must be at most 24h")), problems.toString());
    }

    @Test
    void anAnthropicOutputLimitMustBePositive() {
        Map<String, String> p = valid();
        p.put("breakwater.models[0].default-max-tokens", "0");
        assertEquals(List.of("breakwater.models[0].default-max-tokens must be positive, got 0"), problems(p));
        assertEquals(4096, load(valid()).models().get(0).defaultMaxTokens());
    }

    @Test
    void emptyChainAndUnknownModelsAreReported() {
        Map<String, String> p = new HashMap<>();
        p.put("breakwater.chains.categorizer.models[0]", "gpt-5");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.models is empty: the chain needs at least one model"), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.chains.categorizer.models names unknown model 'gpt-5'")), problems.toString());
    }

    @Test
    void duplicateNamesAndBadUrlsAndQualityOutOfRange() {
        Map<String, String> p = valid();
        p.put("breakwater.models[1].name", "gpt-4o");
        p.put("breakwater.models[0].base-url", "api.openai.com");
        p.put("breakwater.min-quality", "1.5");
        List<String> problems = problems(p);
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[1].name 'gpt-4o' is used twice")), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("breakwater.models[0].base-url must start with http")), problems.toString());
        assertTrue(problems.contains("breakwater.min-quality must be between 0 and 1, got 1.5"), problems.toString());
    }

    @Test
    void unknownProviderFailsNamingTheKey() {
        Map<String, String> p = valid();
        p.put("breakwater.models[0].provider", "cohere");
        RuntimeException e = assertThrows(RuntimeException.class, () -> load(p));
        assertTrue(String.valueOf(e.getMessage()).contains("breakwater.models[0].provider"), e.getMessage());
    }

    @Test
    void unknownDefaultTaxonomyAndChain() {
        Map<String, String> p = valid();
        p.put("breakwater.categorize.default-taxonomy", "scope4");
        p.put("breakwater.categorize.chain", "nope");
        List<String> problems = problems(p);
        assertTrue(problems.contains("breakwater.categorize.default-taxonomy names unknown taxonomy 'scope4'"), problems.toString());
        assertTrue(problems.contains("breakwater.categorize.chain names unknown chain 'nope'"), problems.toString());
    }
}
