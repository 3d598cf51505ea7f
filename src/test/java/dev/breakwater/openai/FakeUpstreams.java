package dev.breakwater.openai;

import dev.breakwater.testing.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the loopback upstreams of the OpenAI API tests and hands their URLs to the gateway's config. */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    static FakeUpstream primary;
    static FakeUpstream secondary;
    static FakeUpstream anthropic;
    static FakeUpstream routed;

    @Override
    public Map<String, String> start() {
        primary = FakeUpstream.start();
        secondary = FakeUpstream.start();
        anthropic = FakeUpstream.start();
        routed = FakeUpstream.start();
        return Map.of(
                "fake.primary.url", primary.baseUrl(),
                "fake.secondary.url", secondary.baseUrl(),
                "fake.anthropic.url", anthropic.baseUrl(),
                "fake.routed.url", routed.baseUrl());
    }

    @Override
    public void stop() {
        for (FakeUpstream upstream : new FakeUpstream[]{primary, secondary, anthropic, routed}) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    static void restoreAll() {
        for (FakeUpstream upstream : new FakeUpstream[]{primary, secondary, anthropic, routed}) {
            upstream.restoreDefaults();
        }
    }
}
