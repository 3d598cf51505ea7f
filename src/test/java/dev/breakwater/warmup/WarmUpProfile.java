package dev.breakwater.warmup;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The test gateway with caller keys on and a short warm-up (200 requests): its requests must get through without a key. */
public class WarmUpProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "breakwater.warm-up.requests", "200",
                "breakwater.warm-up.concurrency", "2",
                "breakwater.auth.mode", "keys",
                "breakwater.admin.token", WarmUpTest.ADMIN,
                "breakwater.auth.redis-prefix", "bw-warm-up-test-" + UUID.randomUUID(),
                "breakwater.auth.keys[0].name", "warm-up-test",
                "breakwater.auth.keys[0].key-env", "TEST_WARM_UP_CALLER_KEY",
                "TEST_WARM_UP_CALLER_KEY", WarmUpTest.KEY);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Upstreams.class));
    }
}
