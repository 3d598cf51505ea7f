package dev.breakwater.resilience.shared;

import static dev.breakwater.telemetry.Ops.PRIMARY;
import static dev.breakwater.testing.Poll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.telemetry.Ops;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two replicas sharing the real Redis at 127.0.0.1:6379: replica A is the gateway under test (gpt-4o on a
 * FakeUpstream, breaker opens after 2 failures, 10 s recovery), replica B a second registry, guarded
 * Redis and {@link SharedBreakerState} built in this JVM with its own replica id.
 */
@QuarkusTest
@TestProfile(SharedStateProfile.class)
class SharedBreakerStateTest extends SharedStateGatewayTest {

    @BeforeEach
    void pristine() {
        upstream.restoreDefaults();
        Ops.closeBreaker(breakers, PRIMARY);
    }

    @Test
    void aPeerSeesTheBreakerOpenPromptlyStaysOffDuringTheProbeAndSeesTheRecovery() throws Exception {
        try (Replica b = new Replica(vertx, config, "redis://127.0.0.1:6379")) {
            ResilientClient peer = b.breakers.register(PRIMARY, breakers.find(PRIMARY).orElseThrow().policy());
            await(b.shared::connected, 20_000, "replica B subscribed to the breaker channel");
            assertFalse(peer.isOpenAndWaiting());

            upstream.setFault(Fault.serviceUnavailable());
            Ops.categorizeFresh();
            Ops.categorizeFresh();
            assertTrue(breakers.find(PRIMARY).orElseThrow().isOpenAndWaiting(), "A's breaker opened");
            long seen = await(peer::isOpenAndWaiting, 5_000, "B treats gpt-4o as open");

            AtomicInteger upstreamCalls = new AtomicInteger();
            assertThrows(CircuitBreakerOpenException.class, () -> peer.call(upstreamCalls::incrementAndGet));
            assertEquals(0, upstreamCalls.get(), "B did not call the upstream");
            assertEquals(1, peer.stats().blockedCalls());
            String left = b.redis.command("PTTL", "{" + config.resilience().sharedPrefix() + ":" + PRIMARY + "}:breaker")
                    .orElseThrow();
            assertTrue(Long.parseLong(left) > 0, "the opening is stored with the time left of it: " + left);

            upstream.setFault(Fault.ok());
            Ops.awaitProbeDue(breakers, PRIMARY);
            Thread.sleep(300);
            assertTrue(peer.isOpenAndWaiting(), "past the recovery timeout B waits: A holds the probe lease");

            assertEquals("llm", Ops.categorizeFresh().getString("source"), "A's probe closed its breaker");
            long closed = await(() -> !peer.isOpenAndWaiting(), 5_000, "B sees the recovery");
            assertEquals("ok", peer.call(() -> "ok"));
            System.out.printf("shared breaker: B open after %d ms, closed after %d ms%n", seen, closed);
        }
    }

    /**
     * Losing the channel ends news from the peers, not the opening nor the lease, which live in Redis. Past
     * the recovery the stored opening has expired, so a follower that forgot it on the loss would find nothing
     * to follow on joining again and call the model with its own (closed) breaker, beside the lease's holder.
     */
    @Test
    void aFollowerThatLosesTheChannelPastTheRecoveryStillLeavesTheProbeToTheLeaseHolder() throws Exception {
        try (Replica b = new Replica(vertx, config, "redis://127.0.0.1:6379")) {
            ResilientClient peer = followerOfAsOpening(b);
            upstream.setFault(Fault.ok());
            Ops.awaitProbeDue(breakers, PRIMARY);

            // Every subscription ends (as when a Cluster node dies); B joins again with the opening expired.
            b.redis.command("CLIENT", "KILL", "TYPE", "pubsub").orElseThrow();
            await(() -> !b.shared.connected(), 5_000, "B lost the channel");
            await(b.shared::connected, 20_000, "B joined the channel again");
            Thread.sleep(300); // the join's re-read of the stored openings runs on B's worker, after the join
            AtomicInteger upstreamCalls = new AtomicInteger();
            assertThrows(CircuitBreakerOpenException.class, () -> peer.call(upstreamCalls::incrementAndGet),
                    "B still leaves the probe to A, which holds the lease");
            assertEquals(0, upstreamCalls.get());

            assertEquals("llm", Ops.categorizeFresh().getString("source"), "A's probe closed its breaker");
            await(() -> !peer.isOpenAndWaiting(), 20_000, "B closes after A's probe");
            assertEquals("ok", peer.call(() -> "ok"));
        }
    }

    @Test
    void aBreakerOpenedByThePeerMakesTheGatewaySkipTheModelWithoutCallingIt() throws Exception {
        try (Replica b = new Replica(vertx, config, "redis://127.0.0.1:6379")) {
            ResilientClient peer = b.breakers.register(PRIMARY, breakers.find(PRIMARY).orElseThrow().policy());
            await(shared::connected, 20_000, "replica A subscribed to the breaker channel");
            for (int i = 0; i < 2; i++) {
                assertThrows(ClassifiedException.class, () -> peer.call(Steps::fail));
            }
            long seen = await(breakers.find(PRIMARY).orElseThrow()::isOpenAndWaiting, 5_000, "A treats gpt-4o as open");
            long before = upstream.totalRequests();
            var answer = Ops.categorizeFresh();
            assertEquals("skipped_open_circuit", answer.getString("attempts[0].outcome"));
            assertEquals("local", answer.getString("source"));
            assertEquals(before, upstream.totalRequests(), "A did not call gpt-4o's upstream");

            peer.reset();
            long closed = await(() -> !breakers.find(PRIMARY).orElseThrow().isOpenAndWaiting(), 5_000,
                    "A sees B's manual reset");
            assertEquals("llm", Ops.categorizeFresh().getString("source"));
            System.out.printf("shared breaker: A open after %d ms, closed after %d ms%n", seen, closed);
        }
    }

    @Test
    void aPeerWhoseClockIsThirtySecondsAheadFollowsTheOpeningForItsWholeRecoveryTime() throws Exception {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30));
        try (Replica skewed = new Replica(vertx, config, "redis://127.0.0.1:6379", ahead)) {
            ResilientClient peer = skewed.breakers.register(PRIMARY, breakers.find(PRIMARY).orElseThrow().policy());
            await(skewed.shared::connected, 20_000, "the skewed replica subscribed to the breaker channel");

            upstream.setFault(Fault.serviceUnavailable());
            Ops.categorizeFresh();
            Ops.categorizeFresh();
            long opened = System.nanoTime();
            assertTrue(breakers.find(PRIMARY).orElseThrow().isOpenAndWaiting(), "A's breaker opened");
            long seen = await(peer::isOpenAndWaiting, 5_000, "the replica 30 s ahead treats gpt-4o as open");
            // A second after the opening (or at once, if learning of it took longer): a skewed replica reading
            // A's time as its own would see an opening 29 s over.
            long left = 1_000 - (System.nanoTime() - opened) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
            AtomicInteger upstreamCalls = new AtomicInteger();
            assertThrows(CircuitBreakerOpenException.class, () -> peer.call(upstreamCalls::incrementAndGet),
                    "a second into A's recovery the skewed replica still skips gpt-4o");
            assertEquals(0, upstreamCalls.get());

            upstream.setFault(Fault.ok());
            Ops.awaitProbeDue(breakers, PRIMARY);
            assertEquals("llm", Ops.categorizeFresh().getString("source"), "A's probe closed its breaker");
            long closed = await(() -> !peer.isOpenAndWaiting(), 5_000, "the skewed replica sees the recovery");
            assertEquals("ok", peer.call(() -> "ok"));
            System.out.printf("shared breaker, clock +30 s: open after %d ms, closed after %d ms%n", seen, closed);
        }
    }

    @Test
    void aLeaseClaimedJustBeforeAPeersClosedArrivesIsGivenBack() throws Exception {
        try (Replica b = new Replica(vertx, config, "redis://127.0.0.1:6379")) {
            followerOfAsOpening(b);
            Ops.awaitProbeDue(breakers, PRIMARY); // B's wait ends soon after: from then on it claims the lease on every tick

            // A's recovery deletes the opening and its lease; B claims the free lease before A's CLOSED reaches it.
            String prefix = config.resilience().sharedPrefix();
            String probe = "{" + prefix + ":" + PRIMARY + "}:probe";
            b.redis.command("DEL", probe);
            await(() -> !b.redis.command("GET", probe).orElse("").isEmpty(), 20_000, "B claimed the free lease");
            // As long as a production model timeout: only a release, not the lease's end, can free it within the wait.
            assertEquals("1", b.redis.command("PEXPIRE", probe, "60000").orElseThrow());
            b.redis.command("PUBLISH", prefix + ":breaker-events", "2|replica-a|CLOSED|0|" + PRIMARY);

            await(() -> b.redis.command("GET", probe).orElse("?").isEmpty(), 20_000,
                    "B gave back the lease it holds for a service closed meanwhile (else the next opening by another"
                            + " replica would follow B's lease silently, unshared)");
            upstream.setFault(Fault.ok());
        }
    }

    @Test
    void withRedisUnreachableAReplicaKeepsItsLocalBreakerWithoutErrorsOrDelay() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (Replica c = new Replica(vertx, config, "redis://127.0.0.1:" + deadPort)) {
            ResilientClient local = c.breakers.register(PRIMARY, breakers.find(PRIMARY).orElseThrow().policy());
            long start = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                assertThrows(ClassifiedException.class, () -> local.call(Steps::fail));
            }
            assertTrue(local.isOpenAndWaiting(), "the local breaker opened on its own failures");
            assertThrows(CircuitBreakerOpenException.class, () -> local.call(() -> "never"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            // A Redis step on the request path could wait up to the Redis timeout: these calls took less in all.
            long redisTimeout = config.cache().timeout().toMillis();
            assertTrue(millis < redisTimeout, "no Redis wait on the request path, took " + millis + " ms (Redis timeout "
                    + redisTimeout + " ms)");
            Thread.sleep(1_200);
            assertFalse(c.shared.connected());

            local.reset();
            assertEquals("ok", local.call(() -> "ok"), "closed again, and nothing from Redis keeps it open");
        }
    }

    /** B's breaker for gpt-4o, once B follows the opening A's two failures made (A holds the probe lease). */
    private ResilientClient followerOfAsOpening(Replica b) throws InterruptedException {
        ResilientClient peer = b.breakers.register(PRIMARY, breakers.find(PRIMARY).orElseThrow().policy());
        await(b.shared::connected, 20_000, "replica B subscribed to the breaker channel");
        upstream.setFault(Fault.serviceUnavailable());
        Ops.categorizeFresh();
        Ops.categorizeFresh();
        await(peer::isOpenAndWaiting, 10_000, "B follows A's opening");
        return peer;
    }
}
