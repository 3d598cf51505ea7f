package dev.breakwater.telemetry;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.testing.FakeUpstream;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests on the {@link OpsProfile} gateway: gpt-4o's FakeUpstream, started once per class. */
public abstract class OpsGatewayTest {

    protected static FakeUpstream upstream;

    @Inject
    protected BreakerRegistry breakers;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeUpstream.start(OpsProfile.upstreamPort());
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
