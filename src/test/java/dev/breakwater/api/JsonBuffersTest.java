package dev.breakwater.api;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * Every chat call serialises its upstream request on a virtual thread of its own. With Jackson's default
 * thread-local recycler each of those threads would keep its own parser and generator buffers (a few KB) for as
 * long as the call waits, 10,000 times over at 10,000 in flight. Quarkus installs Vert.x's hybrid pool on its
 * mapper (shared buffers for virtual threads); this keeps that true of the one mapper the gateway uses, whatever
 * customizer is added later.
 */
@QuarkusTest
// The test chain's fakes, though nothing here calls an upstream: the tests share the application of the other
// tests on them instead of one of their own (each distinct set of test resources is one more build and start).
@WithTestResource(Upstreams.class)
class JsonBuffersTest {

    @Inject
    ObjectMapper json;

    @Test
    void theMappersBuffersAreNotKeptPerThread() {
        assertNotSame(JsonRecyclerPools.threadLocalPool(), json.getFactory()._getRecyclerPool(),
                "the gateway's mapper keeps its buffers per thread");
    }
}
