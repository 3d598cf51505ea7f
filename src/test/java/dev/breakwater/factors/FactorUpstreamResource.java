package dev.breakwater.factors;

import dev.breakwater.testing.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a {@link FakeUpstream} as the Factor Broker, points the gateway at it and hands it to the test. */
public class FactorUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = FakeUpstream.start();
        return Map.of("breakwater.factors.base-url", upstream.baseUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstream, new TestInjector.MatchesType(FakeUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
