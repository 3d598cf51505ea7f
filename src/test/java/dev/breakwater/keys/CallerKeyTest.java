package dev.breakwater.keys;

import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.TestGatewayConfig;
import dev.breakwater.providers.TokenUsage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of caller keys: model patterns, budget periods, prices, their configuration checks. */
class CallerKeyTest {

    private static CallerKey key(List<String> models, long periodSeconds, long created) {
        return new CallerKey("key_1", "team-a", "hash", models, null, null, 10.0, periodSeconds, created, false);
    }

    @Test
    void modelPatternsUseTheRouteSyntax() {
        CallerKey key = key(List.of("categorizer", "openai/*"), 0, 0);
        assertTrue(key.allows("categorizer"));
        assertTrue(key.allows("openai/gpt-4o"));
        assertFalse(key.allows("openai"), "the prefix alone is not an id behind the route");
        assertFalse(key.allows("categorizer2"));
        assertFalse(key.allows("gpt-4o"));
        assertTrue(key(List.of("*"), 0, 0).allows("anything"));
        assertTrue(key(null, 0, 0).allows("anything"), "no models: every model");
    }

    @Test
    void budgetPeriodsFollowEachOtherFromTheKeysCreation() {
        long day = 86_400_000L;
        CallerKey key = key(List.of("*"), 86_400, 1_000);
        assertEquals(1_000, key.periodStart(1_000));
        assertEquals(1_000, key.periodStart(1_000 + day - 1));
        assertEquals(1_000 + day, key.periodStart(1_000 + day));
        assertEquals(1_000 + 3 * day, key.periodStart(1_000 + 3 * day + 5));
        assertEquals(30 * 86_400, key(List.of("*"), 0, 0).budgetPeriodSeconds(), "default 30 days");
        assertEquals(10_000_000_000L, key.budgetNanos());
    }

    @Test
    void pricesComeFromTheModelOrItsRouteAndAreNeverGuessed() {
        Prices prices = new Prices(TestGatewayConfig.of(Map.of(
                "models[0].price.input", "2.5", "models[0].price.output", "10",
                "routes[0].match", "openai/*", "routes[0].base-url", "http://127.0.0.1:9/v1",
                "routes[0].price.input", "0.15", "routes[0].price.output", "0.6",
                "routes[1].match", "*", "routes[1].base-url", "http://127.0.0.1:9/v1")));
        assertEquals(OptionalLong.of(7_500_000), prices.costNanos("local", new TokenUsage(1000, 500)), "2500 + 5000 µUSD");
        assertEquals(OptionalLong.of(450_000), prices.costNanos("openai/gpt-4o-mini", new TokenUsage(1000, 500)));
        assertEquals(OptionalLong.empty(), prices.costNanos("llama3", new TokenUsage(1000, 500)), "route without a price");
    }

    @Test
    void declaredKeysAndPricesAreValidated() {
        var problems = ConfigValidator.problems(TestGatewayConfig.of(Map.of(
                "auth.keys[0].name", "team a", "auth.keys[0].key-env", "A", "auth.keys[0].rpm", "0",
                "auth.keys[1].name", "b", "auth.keys[1].key-env", "B", "auth.keys[1].budget-usd", "-1",
                "auth.keys[1].budget-period", "10s",
                "models[0].price.input", "-1", "models[0].price.output", "1")), Set.of("ghg-scope3"));
        String all = String.join("\n", problems);
        assertTrue(all.contains("breakwater.auth.keys[0].name must be 1-64"), all);
        assertTrue(all.contains("breakwater.auth.keys[0].rpm"), all);
        assertTrue(all.contains("breakwater.auth.keys[1].budget-usd must not be negative"), all);
        assertTrue(all.contains("breakwater.auth.keys[1].budget-period must be at least 1m"), all);
        assertTrue(all.contains("breakwater.models[0].price must not be negative"), all);
    }
}
