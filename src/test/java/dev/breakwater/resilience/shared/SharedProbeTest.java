package dev.breakwater.resilience.shared;

import static dev.breakwater.telemetry.Ops.PRIMARY;
import static io.restassured.RestAssured.given;
import static dev.breakwater.testing.Poll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.PeerState;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.telemetry.Ops;
import dev.breakwater.telemetry.Scrape;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe after a peer's opening, on the gateway under test (the follower) and a second replica in this
 * JVM (the opener, whose calls never reach the FakeUpstream, so every upstream request counted here is the
 * gateway's). Recovery 5 s, lease 8 s (the model timeout), success threshold 2
 * ({@link SharedStateProfile.TwoProbes}). Every step that must land between two ends of those has two
 * seconds or more of room, and every wait for a replica to learn something is a generous poll.
 */
@QuarkusTest
@TestProfile(SharedStateProfile.TwoProbes.class)
class SharedProbeTest extends SharedStateGatewayTest {

    private static final int CONCURRENT = 6;
    private static final Duration SLOW_PROBE = Duration.ofMillis(400);
    /** How long a replica may take to learn something from Redis or a peer: a bound only a broken replica reaches. */
    private static final long LEARN_MILLIS = 10_000;

    private Replica opener;
    private ResilientClient peer;
    private Duration recovery;
    /** The probe lease: the model timeout. */
    private Duration lease;

    @BeforeEach
    void twoReplicas() throws InterruptedException {
        // Warms the local model up (its first answer is slow) with a failure the breaker does not count, so
        // the steps timed against the 1 s recovery are not.
        upstream.setFault(Fault.contextLengthExceeded());
        assertEquals("local", Ops.categorizeFresh().getString("source"));
        upstream.restoreDefaults();
        Ops.closeBreaker(breakers, PRIMARY);
        recovery = gateway().policy().breaker().recoveryTimeout();
        lease = gateway().policy().timeout();
        opener = new Replica(vertx, config, "redis://127.0.0.1:6379");
        peer = opener.breakers.register(PRIMARY, gateway().policy());
        await(opener.shared::connected, 20_000, "the opener subscribed to the breaker channel");
        await(shared::connected, 20_000, "the gateway subscribed to the breaker channel");
    }

    @AfterEach
    void closeOpener() {
        opener.close();
    }

    @Test
    void aPeersOpeningShowsOpenHereAndOneProbeAtATimeClosesEveryReplica() throws Exception {
        openOnTheOpener();
        long seen = await(() -> "open".equals(healthOf(PRIMARY).get("state")), LEARN_MILLIS,
                "the gateway's health shows gpt-4o open");
        Map<String, Object> health = healthOf(PRIMARY);
        assertEquals(true, health.get("opened_by_peer"), "marked as a peer's opening: " + health);
        assertNotNull(health.get("next_probe_at"), "the peer's open-until: " + health);
        assertEquals(1, Scrape.now().value("circuit_breaker_state", "service", PRIMARY), "the gauge says open");
        assertEquals(BreakerState.CLOSED, gateway().state(), "the gateway's own breaker saw no failure");

        awaitLease();
        long before = upstream.totalRequests();
        long blocked = gateway().stats().blockedCalls();
        // The probe answers once every other request was turned away (or shortly before the model timeout): all
        // of them came while it was in flight, however slowly the machine lets them arrive.
        upstream.respondWith(request -> {
            awaitQuietly(() -> gateway().stats().blockedCalls() - blocked >= CONCURRENT - 1, lease.minusMillis(500));
            return FakeUpstream.DEFAULT_CONTENT;
        });
        List<JsonPath> answers = concurrently(CONCURRENT);
        assertEquals(1, upstream.totalRequests() - before, "exactly one probe reached the upstream");
        assertEquals(1, answers.stream().filter(a -> "llm".equals(a.getString("source"))).count());
        assertEquals(CONCURRENT - 1, answers.stream()
                .filter(a -> "skipped_open_circuit".equals(a.getString("attempts[0].outcome"))).count(),
                "the others skipped gpt-4o while the probe was in flight");
        assertEquals(BreakerState.HALF_OPEN, gateway().stats().state(), "one success of two: still probing");
        assertTrue(peer.state() != BreakerState.CLOSED, "no verdict yet: the opener's breaker is " + peer.state());

        upstream.respondWith(FakeUpstream.DEFAULT_CONTENT);
        before = upstream.totalRequests();
        assertEquals("llm", Ops.categorizeFresh().getString("source"), "the second probe");
        assertEquals(1, upstream.totalRequests() - before);
        assertEquals("closed", healthOf(PRIMARY).get("state"));
        assertEquals(false, healthOf(PRIMARY).get("opened_by_peer"));
        long closed = await(() -> peer.state() == BreakerState.CLOSED, LEARN_MILLIS, "the opener closes on the verdict");
        assertEquals("ok", peer.call(() -> "ok"));
        System.out.printf("shared probe: open here after %d ms, opener closed %d ms after the verdict%n", seen, closed);
    }

    @Test
    void aFailedProbeReOpensTheModelOnEveryReplicaAndItsReplicaProbesAgainAfterTheRecoveryTimeout() throws Exception {
        openOnTheOpener();
        await(() -> gateway().isOpenAndWaiting(), LEARN_MILLIS, "the gateway treats gpt-4o as open");
        upstream.setFault(Fault.serviceUnavailable());
        awaitLease();

        long before = upstream.totalRequests();
        Instant probed = Instant.now();
        JsonPath failed = Ops.categorizeFresh();
        assertEquals("error", failed.getString("attempts[0].outcome"));
        assertEquals(1, upstream.totalRequests() - before, "one probe");
        assertEquals(BreakerState.OPEN, gateway().stats().state());
        Instant next = gateway().stats().nextProbeAt();
        assertFalse(next.isBefore(probed.plus(recovery)), "a new recovery period from the probe on: " + next);
        // First, inside that recovery period: the gateway itself skips gpt-4o.
        assertEquals("skipped_open_circuit", Ops.categorizeFresh().getString("attempts[0].outcome"));
        // The opener's own recovery timeout is long over: only the gateway's OPEN (and lease) can keep it off.
        await(peer::isOpenAndWaiting, LEARN_MILLIS, "the opener sees the re-opening");
        assertThrows(CircuitBreakerOpenException.class, () -> peer.call(() -> "never"));
        assertEquals(1, upstream.totalRequests() - before, "nobody called gpt-4o while re-opened");

        upstream.setFault(Fault.ok());
        awaitLease();
        for (int i = 0; i < 2; i++) {
            assertEquals("llm", Ops.categorizeFresh().getString("source"), "probe " + (i + 1));
        }
        assertEquals(BreakerState.CLOSED, gateway().stats().state());
        await(() -> peer.state() == BreakerState.CLOSED && !peer.isOpenAndWaiting(), LEARN_MILLIS, "the opener closes");
    }

    @Test
    void aProbePermitWhoseOutcomeNeverComesIsFreedWhenTheLeaseEnds() throws Exception {
        openOnTheOpener();
        awaitLease();
        assertEquals(PeerState.Admission.PROBE, shared.admit(PRIMARY), "the permit, taken and never reported");
        assertEquals(PeerState.Admission.SKIP, shared.admit(PRIMARY), "one permit only");
        assertTrue(gateway().isOpenAndWaiting());

        long freed = await(() -> !gateway().isOpenAndWaiting(), lease.toMillis() + LEARN_MILLIS,
                "the lease ends and is taken again");
        assertEquals("llm", Ops.categorizeFresh().getString("source"), "a probe goes through again");
        System.out.printf("shared probe: lost permit freed after %d ms%n", freed);
        assertEquals("llm", Ops.categorizeFresh().getString("source"));
        assertEquals(BreakerState.CLOSED, gateway().stats().state());
    }

    @Test
    void anOpenerWhoseLeaseLapsedWithoutTrafficLeavesTheProbeToThePeerThatWonIt() throws Exception {
        openOnTheOpener();
        upstream.setFault(Fault.slowFirstByte(SLOW_PROBE));
        awaitLease();
        AtomicInteger openerCalls = new AtomicInteger();
        long before = upstream.totalRequests();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<JsonPath> probe = pool.submit(Ops::categorizeFresh);
            await(() -> upstream.totalRequests() > before, LEARN_MILLIS, "the gateway's probe reached the upstream");
            assertThrows(CircuitBreakerOpenException.class, () -> peer.call(openerCalls::incrementAndGet),
                    "the opener's half-open breaker must not probe beside the gateway");
            await(peer::isOpenAndWaiting, LEARN_MILLIS, "the opener learns the gateway holds the lease");
            assertThrows(CircuitBreakerOpenException.class, () -> peer.call(openerCalls::incrementAndGet));
            assertEquals(1, upstream.totalRequests() - before, "one call in flight: the gateway's probe");
            assertEquals("llm", probe.get().getString("source"));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(BreakerState.HALF_OPEN, gateway().stats().state(), "one success of two: still probing");
        assertThrows(CircuitBreakerOpenException.class, () -> peer.call(openerCalls::incrementAndGet),
                "still the gateway's turn");
        assertEquals(0, openerCalls.get(), "the opener never called gpt-4o while the gateway probed");

        upstream.setFault(Fault.ok());
        assertEquals("llm", Ops.categorizeFresh().getString("source"), "the gateway's second probe");
        assertEquals(2, upstream.totalRequests() - before);
        assertEquals(BreakerState.CLOSED, gateway().stats().state());
        await(() -> peer.state() == BreakerState.CLOSED && !peer.isOpenAndWaiting(), LEARN_MILLIS,
                "the opener closes on the gateway's verdict");
        assertEquals(1, peer.call(openerCalls::incrementAndGet));
    }

    @Test
    void anOpenersSuccessfulOwnProbeRenewsItsLeaseSoThePeerDoesNotProbeBesideIt() throws Exception {
        openOnTheOpener();
        long opened = System.nanoTime();
        // The lease taken at the opening ends at recovery + lease; one renewed by a probe half a lease before
        // that ends half a lease after it. The check lands a quarter lease past the first, a quarter before the second.
        Duration openingLease = recovery.plus(lease);
        sleepUntil(opened, openingLease.minus(lease.dividedBy(2)));
        assertEquals("ok", peer.call(() -> "ok"), "the opener's first probe, on its own half-open breaker");
        assertEquals(BreakerState.HALF_OPEN, peer.state());
        // Past the lease taken at the opening (the gateway takes a free lease within a tick), inside the renewed one.
        sleepUntil(opened, openingLease.plus(lease.dividedBy(4)));
        assertEquals(BreakerState.OPEN, gateway().stats().state(), "the gateway still waits for the opener");
        assertEquals("ok", peer.call(() -> "ok"), "the opener's second probe");
        assertEquals(BreakerState.CLOSED, peer.state());
        await(() -> gateway().stats().state() == BreakerState.CLOSED && !gateway().isOpenAndWaiting(), LEARN_MILLIS,
                "the gateway closes on the opener's verdict");
    }

    @Test
    void aReplicaWhoseBreakerOpensWhileAPeerProbesLeavesTheLeaseAndTheProbeToThatPeer() throws Exception {
        openOnTheOpener();
        upstream.setFault(Fault.slowFirstByte(SLOW_PROBE));
        awaitLease(); // past the opening's key (the recovery timeout): a replica starting now does not learn of it
        try (Replica late = new Replica(vertx, config, "redis://127.0.0.1:6379")) {
            ResilientClient third = late.breakers.register(PRIMARY, gateway().policy());
            await(late.shared::connected, 20_000, "the third replica subscribed to the breaker channel");
            awaitLease();
            long before = upstream.totalRequests();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<JsonPath> probe = pool.submit(Ops::categorizeFresh);
                await(() -> upstream.totalRequests() > before, LEARN_MILLIS, "the gateway's probe reached the upstream");
                // The third replica joined after the opening's key expired: it learns of the outage from its own calls.
                for (int i = 0; i < 2; i++) {
                    assertThrows(ClassifiedException.class, () -> third.call(Steps::fail));
                }
                assertEquals(BreakerState.OPEN, third.state());
                assertEquals("llm", probe.get().getString("source"), "the gateway's probe");
            } finally {
                pool.shutdownNow();
            }
            Thread.sleep(300); // an OPEN from the third replica would have reached the gateway by now
            assertEquals(BreakerState.HALF_OPEN, gateway().stats().state(),
                    "the gateway still holds the lease: one success of two, nobody took it over");
            upstream.setFault(Fault.ok());
            assertEquals("llm", Ops.categorizeFresh().getString("source"), "the gateway's second probe");
            assertEquals(BreakerState.CLOSED, gateway().stats().state());
            await(() -> third.state() == BreakerState.CLOSED && !third.isOpenAndWaiting(), LEARN_MILLIS,
                    "the third replica closes on the gateway's verdict");
        }
    }

    private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
        long left = after.toMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    /** Two failures on the opener: its breaker opens and it publishes OPEN. */
    private void openOnTheOpener() {
        for (int i = 0; i < 2; i++) {
            assertThrows(ClassifiedException.class, () -> peer.call(Steps::fail));
        }
        assertEquals(BreakerState.OPEN, peer.state());
    }

    /** The opener holds the lease for recovery + lease; then the gateway takes it and is half-open. */
    private void awaitLease() throws InterruptedException {
        await(() -> gateway().stats().state() == BreakerState.HALF_OPEN, recovery.plus(lease).toMillis() + LEARN_MILLIS,
                "the gateway holds the probe lease");
    }

    /** Polls {@code condition} for at most {@code max}; the caller's assertions say what it means if it never held. */
    private static void awaitQuietly(java.util.function.BooleanSupplier condition, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<JsonPath> concurrently(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonPath>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return Ops.categorizeFresh();
                }));
            }
            start.countDown();
            List<JsonPath> answers = new ArrayList<>();
            for (Future<JsonPath> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private ResilientClient gateway() {
        return breakers.find(PRIMARY).orElseThrow();
    }

    /** The service's entry in GET /health/circuit-breakers. */
    private static Map<String, Object> healthOf(String service) {
        return given().get("/health/circuit-breakers").then().statusCode(200).extract().jsonPath()
                .getMap("breakers.find { it.service == '" + service + "' }");
    }
}
