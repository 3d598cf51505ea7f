package dev.breakwater.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The fakes of {@code deployments-gateway.yaml}: {@code east} and {@code west} serve the two deployments
 * of gpt-4o, {@code backup} the next model.
 */
public class DeploymentUpstreams implements QuarkusTestResourceLifecycleManager {

    public static FakeUpstream east;
    public static FakeUpstream west;
    public static FakeUpstream backup;

    @Override
    public Map<String, String> start() {
        east = FakeUpstream.start();
        west = FakeUpstream.start();
        backup = FakeUpstream.start();
        return Map.of("fake.east", east.baseUrl(), "fake.west", west.baseUrl(), "fake.backup", backup.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeUpstream f : new FakeUpstream[]{east, west, backup}) {
            if (f != null) {
                f.close();
            }
        }
    }

    public static void restoreDefaults() {
        east.restoreDefaults();
        west.restoreDefaults();
        backup.restoreDefaults();
    }

    /** The gateway of {@code deployments-gateway.yaml}. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.config.locations", "src/test/resources/deployments-gateway.yaml");
        }
    }
}
