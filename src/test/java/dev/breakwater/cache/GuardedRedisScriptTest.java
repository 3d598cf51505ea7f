package dev.breakwater.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerCall;
import dev.breakwater.resilience.BreakerRegistered;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerRemoved;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.testing.Forward;
import dev.breakwater.testing.Upstreams;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scripts run by digest on the shared Redis at 127.0.0.1:6379: each test script carries a random comment,
 * so Redis has never seen it and the first call meets NOSCRIPT, as after a restart or a fail-over.
 */
@QuarkusTest
// The test chain's fakes, though nothing here calls an upstream: the tests share the application of the other
// tests on them instead of one of their own (each distinct set of test resources is one more build and start).
@WithTestResource(Upstreams.class)
class GuardedRedisScriptTest {

    @Inject
    GuardedRedis redis;

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ReactiveRedisDataSource dataSource;

    /** A pooled connection open before the guarded calls, whose timeout (250 ms) a cold start on a busy machine can exceed. */
    @BeforeEach
    void connected() {
        dataSource.execute("PING").await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void aScriptRedisDoesNotHoldIsSentOnceAsTextThenRunByItsDigest() {
        RedisScript script = fresh();
        assertFalse(held(script));
        assertEquals(Optional.of("v k"), redis.eval(script, 1, "k", "v"), "NOSCRIPT, then EVAL");
        assertTrue(held(script), "EVAL cached it");
        assertEquals(Optional.of("w k"), redis.eval(script, 1, "k", "w"), "by digest");
    }

    @Test
    void theNonBlockingCallFallsBackOnNoscriptToo() {
        RedisScript script = fresh();
        assertEquals("v k", redis.evalNow(script, 1, "k", "v").await().atMost(Duration.ofSeconds(10)));
        assertTrue(held(script));
    }

    @Test
    void aRedisThatNeverAnswersFailsTheNonBlockingCallAtTheTimeout() throws Exception {
        // Connections are accepted by the kernel, then nothing is ever read or written.
        try (ServerSocket silent = new ServerSocket(0)) {
            Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + silent.getLocalPort());
            try {
                GuardedRedis guarded = new GuardedRedis(config, new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)),
                        new BreakerRegistry(Clock.systemUTC(), new Forward<BreakerTransition>(t -> { }), new Forward<BreakerCall>(c -> { }),
                                new Forward<BreakerRegistered>(r -> { }), new Forward<BreakerRemoved>(r -> { })), new ObjectMapper());
                Throwable failure = assertThrows(Throwable.class, () -> guarded.evalNow(fresh(), 0).await().atMost(Duration.ofSeconds(20)));
                assertFalse(failure instanceof io.smallrye.mutiny.TimeoutException, "the guard's own timeout (250 ms), not the test's wait");
                assertTrue(String.valueOf(failure.getMessage()).contains("Timeout"), failure.toString());
            } finally {
                client.close();
            }
        }
    }

    private static RedisScript fresh() {
        return RedisScript.of("return ARGV[1] .. ' ' .. (KEYS[1] or '') -- " + UUID.randomUUID());
    }

    private boolean held(RedisScript script) {
        return dataSource.execute("SCRIPT", "EXISTS", script.sha1()).await().atMost(Duration.ofSeconds(30)).get(0).toInteger() == 1;
    }
}
