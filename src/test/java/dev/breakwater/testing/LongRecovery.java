package dev.breakwater.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test chain (gateway-test.yaml) with the primary's recovery timeout at 10 s instead of 1 s: the
 * requests a test sends while that breaker is open must all fit in it, on a loaded machine too (one
 * stalled five requests for 5 s). Tests wait for the probe by polling, not sleeping.
 */
public class LongRecovery implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("breakwater.models[0].circuit-breaker.recovery-timeout", "10s");
    }
}
