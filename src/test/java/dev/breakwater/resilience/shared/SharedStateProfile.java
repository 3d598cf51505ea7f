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
}
