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
     * Two successful probes to close: the probe tests see a probe short of the threshold. Recovery 5 s and
     * model timeout (the probe lease) 8 s: every step that must land between two of their ends gets two
     * seconds or more, which a loaded machine needs, without waiting out the operations gateway's 10 s.
     */
    public static class TwoProbes extends SharedStateProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            // gpt-4o's own overrides: the file's global values would win over a profile's override of them.
            overrides.put("breakwater.models[0].circuit-breaker.recovery-timeout", "5s");
            overrides.put("breakwater.models[0].circuit-breaker.success-threshold", "2");
            overrides.put("breakwater.models[0].timeout", "8s");
            return overrides;
        }
    }
}
