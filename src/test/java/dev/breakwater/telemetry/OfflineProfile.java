package dev.breakwater.telemetry;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The shipped config/gateway.yaml as a fresh deployment runs it without API keys: the cloud models'
 * key variables point at names that are never set, so the local model answers every request.
 */
public class OfflineProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.config.locations", "config/gateway.yaml",
                "breakwater.models[0].api-key-env", "BREAKWATER_TEST_UNSET_KEY",
                "breakwater.models[1].api-key-env", "BREAKWATER_TEST_UNSET_KEY",
                "breakwater.models[2].api-key-env", "BREAKWATER_TEST_UNSET_KEY");
    }
}
