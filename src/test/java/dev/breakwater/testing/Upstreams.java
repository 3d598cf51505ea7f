package dev.breakwater.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the three fake upstreams of the test chain (primary and secondary speak OpenAI, claude
 * speaks Anthropic) and hands their URLs to the gateway's configuration.
 */
public class Upstreams implements QuarkusTestResourceLifecycleManager {

    public static FakeUpstream primary;
    public static FakeUpstream secondary;
    public static FakeUpstream claude;

    @Override
    public Map<String, String> start() {
        primary = FakeUpstream.start();
        secondary = FakeUpstream.start();
        claude = FakeUpstream.start();
        return Map.of(
                "fake.primary", primary.baseUrl() + "/v1",
                "fake.secondary", secondary.baseUrl() + "/v1",
                "fake.claude", claude.baseUrl() + "/v1/");
    }

    @Override
    public void stop() {
        for (FakeUpstream f : new FakeUpstream[]{primary, secondary, claude}) {
            if (f != null) {
                f.close();
            }
        }
    }

    public static void restoreDefaults() {
        primary.restoreDefaults();
        secondary.restoreDefaults();
        claude.restoreDefaults();
    }
}
