package dev.breakwater.testing;

import dev.breakwater.resilience.BreakerRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests on the fake-upstream chain ({@link Upstreams}, gateway-test.yaml): each test starts
 * from a clean gateway (fresh upstreams, closed breakers, no cached answers).
 */
public abstract class ChainGatewayTest {

    /** The application last warmed up (its breaker registry): a restart brings a cold one. */
    private static Object warmed;

    @Inject
    protected BreakerRegistry breakers;
    @Inject
    protected RedisDataSource redis;

    @BeforeEach
    void cleanGateway() {
        if (warmed != breakers) {
            warmUp();
            warmed = breakers;
        }
        GatewayTestSupport.cleanSlate(breakers, redis);
    }

    /**
     * The first call of each provider after boot loads the HTTP and JSON machinery; on a loaded machine it
     * outlasts the test config's attempt timeout and the test's first request fails over unexpectedly.
     * Paid here, once, on both wire formats (an OpenAI answer, then an Anthropic one after two refusals).
     */
    private static void warmUp() {
        GatewayTestSupport.categorize("warm-up " + System.nanoTime());
        Upstreams.primary.setFault(Fault.contextLengthExceeded());
        Upstreams.secondary.setFault(Fault.contextLengthExceeded());
        GatewayTestSupport.categorize("warm-up " + System.nanoTime());
    }
}
