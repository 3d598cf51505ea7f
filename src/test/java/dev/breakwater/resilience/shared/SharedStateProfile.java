package dev.breakwater.resilience.shared;

import dev.breakwater.telemetry.OpsProfile;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The operations gateway with its breakers shared through Redis, on a channel and keys of this run's own. */
public class SharedStateProfile extends OpsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("breakwater.resilience.shared-state", "redis");
        overrides.put("breakwater.resilience.shared-prefix", "breakwater-test-" + UUID.randomUUID());
        return overrides;
    }

    /**
     * Short recovery (1 s) and lease (the 1 s model timeout), two successful probes to close: the probe tests
     * go through several recovery periods and see a probe short of the threshold.
     */
    public static class ShortRecovery extends SharedStateProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            // gpt-4o's own overrides: the file's global values would win over a profile's override of them.
            overrides.put("breakwater.models[0].circuit-breaker.recovery-timeout", "1s");
            overrides.put("breakwater.models[0].circuit-breaker.success-threshold", "2");
            overrides.put("breakwater.models[0].timeout", "1s");
            return overrides;
        }
    }
}
