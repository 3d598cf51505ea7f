package dev.breakwater.keys;

import dev.breakwater.testing.MinuteClock;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The test gateway (gateway-test.yaml on the fake upstreams) with caller keys on, the admin API, prices on
 * {@code primary} and {@code embed-primary}, one key declared in YAML, keys and counters under a Redis prefix of this run's own,
 * and the {@link MinuteClock}.
 */
public class KeysProfile implements QuarkusTestProfile {

    static final String ADMIN = "keys-admin-token-0123456789";
    static final String DECLARED_SECRET = "bw-declared-test-secret-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> o = new HashMap<>();
        o.put("breakwater.auth.mode", "keys");
        o.put("breakwater.auth.redis-prefix", "bw-keys-test-" + UUID.randomUUID());
        o.put("breakwater.admin.token", ADMIN);
        o.put("breakwater.models[0].price.input", "2.5");
        o.put("breakwater.models[0].price.output", "10");
        o.put("breakwater.models[4].price.input", "0.02");   // embed-primary
        o.put("breakwater.models[4].price.output", "0");
        o.put("breakwater.auth.keys[0].name", "declared");
        o.put("breakwater.auth.keys[0].key-env", "TEST_DECLARED_CALLER_KEY");
        o.put("breakwater.auth.keys[0].models[0]", "chat");
        o.put("breakwater.auth.keys[0].rpm", "1000");
        o.put("TEST_DECLARED_CALLER_KEY", DECLARED_SECRET);
        // The answer cache would answer repeated categorize calls without a model (and without cost).
        o.put("breakwater.cache.enabled", "false");
        return o;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Upstreams.class));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MinuteClock.class);
    }
}
