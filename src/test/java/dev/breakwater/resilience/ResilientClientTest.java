package dev.breakwater.resilience;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs inside Quarkus because SmallRye Fault Tolerance's programmatic API needs its CDI-backed implementation. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class ResilientClientTest {

    private final List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    private ResilientClient client(int threshold, Duration recovery, int successes, RetrySettings retry, Duration timeout) {
        return new ResilientClient("svc-" + System.nanoTime(),
                new ResiliencePolicy(new BreakerSettings(threshold, recovery, successes), retry, timeout),
                Clock.systemUTC(), transitions::add);
    }

    private ResilientClient noRetry(int threshold, Duration recovery, int successes) {
        return client(threshold, recovery, successes, RetrySettings.NONE, Duration.ofSeconds(5));
    }

    private String fail() {
        calls.incrementAndGet();
        throw new ClassifiedException(new Failure(FailureKind.TRANSIENT, 503, "down", Optional.empty()));
    }

    private String succeed() {
        calls.incrementAndGet();
        return "ok";
    }

    @Test
    void opensAfterThresholdConsecutiveFailuresAndThenRejectsWithoutCalling() {
        ResilientClient c = noRetry(3, Duration.ofMinutes(1), 1);
        for (int i = 0; i < 3; i++) {
            assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        }
        assertEquals(BreakerState.OPEN, c.state());
        assertEquals(3, calls.get());
        assertThrows(CircuitBreakerOpenException.class, () -> c.call(this::succeed));
        assertEquals(3, calls.get(), "an open breaker must not let the call through");
        BreakerStats stats = c.stats();
        assertEquals(3, stats.failureCount());
        assertEquals(3, stats.failedCalls());
        assertEquals(1, stats.blockedCalls());
        assertNotNull(stats.lastFailure());
        assertNotNull(stats.nextProbeAt());
        assertEquals(List.of(BreakerState.OPEN), transitions.stream().map(BreakerTransition::to).toList());
        assertEquals(BreakerState.CLOSED, transitions.get(0).from());
    }

    @Test
    void aSuccessInsideTheWindowKeepsTheBreakerClosed() throws Exception {
        ResilientClient c = noRetry(3, Duration.ofMinutes(1), 1);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals("ok", c.call(this::succeed));
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(2.0 / 3, c.stats().failureRate(), 1e-9, "failure rate over the last 3 calls");
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(BreakerState.CLOSED, c.state());
        assertEquals(2, c.stats().failureCount());
        assertEquals(2.0 / 3, c.stats().failureRate(), 1e-9, "the window slides: S F F");
        assertEquals(5, c.stats().totalCalls());
        assertEquals(4, c.stats().failedCalls());
    }

    @Test
    void halfOpensAfterRecoveryTimeoutAndClosesAfterSuccessThreshold() throws Exception {
        ResilientClient c = noRetry(2, Duration.ofMillis(150), 2);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(BreakerState.OPEN, c.state());
        Thread.sleep(200);
        assertEquals("ok", c.call(this::succeed));
        assertEquals(BreakerState.HALF_OPEN, c.state());
        assertEquals("ok", c.call(this::succeed));
        assertEquals(BreakerState.CLOSED, c.state());
        assertEquals(List.of(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED),
                transitions.stream().map(BreakerTransition::to).toList());
    }

    @Test
    void aFailedProbeReopens() {
        ResilientClient c = noRetry(2, Duration.ofMillis(100), 1);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        sleep(150);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(BreakerState.OPEN, c.state());
    }

    @Test
    void inputProblemsDoNotCountAgainstTheModel() {
        ResilientClient c = noRetry(2, Duration.ofMinutes(1), 1);
        for (int i = 0; i < 5; i++) {
            assertThrows(ClassifiedException.class, () -> c.call(() -> {
                throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "refused"));
            }));
        }
        assertEquals(BreakerState.CLOSED, c.state());
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenGiveUp() {
        RetrySettings retry = new RetrySettings(2, Duration.ofMillis(20), Duration.ofMillis(100), 2, Duration.ofMillis(10));
        ResilientClient c = client(10, Duration.ofMinutes(1), 1, retry, Duration.ofSeconds(5));
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(3, calls.get(), "one call plus max-retries");
        assertEquals(3, c.stats().totalCalls());
    }

    @Test
    void retryAfterWithinTheCapIsHonouredAndBeyondItIsNotRetried() throws Exception {
        RetrySettings retry = new RetrySettings(2, Duration.ofMillis(10), Duration.ofMillis(400), 2, Duration.ofMillis(5));
        ResilientClient c = client(10, Duration.ofMinutes(1), 1, retry, Duration.ofSeconds(5));
        AtomicInteger n = new AtomicInteger();
        long start = System.nanoTime();
        assertEquals("ok", c.call(() -> {
            if (n.incrementAndGet() == 1) {
                throw new ClassifiedException(new Failure(FailureKind.TRANSIENT, 429, "slow down", Optional.of(Duration.ofMillis(300))));
            }
            return "ok";
        }));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 300, "waited " + waited + " ms");

        AtomicInteger m = new AtomicInteger();
        assertThrows(ClassifiedException.class, () -> c.call(() -> {
            m.incrementAndGet();
            throw new ClassifiedException(new Failure(FailureKind.TRANSIENT, 429, "come back later", Optional.of(Duration.ofSeconds(30))));
        }));
        assertEquals(1, m.get(), "a Retry-After beyond max-delay moves on instead of waiting");
    }

    @Test
    void silentCallTimesOutAndIsNotRetried() {
        RetrySettings retry = new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(50), 2, Duration.ofMillis(5));
        ResilientClient c = client(10, Duration.ofMinutes(1), 1, retry, Duration.ofMillis(150));
        long start = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> c.call(() -> {
            calls.incrementAndGet();
            Thread.sleep(5_000);
            return "late";
        }));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(FailureKind.TIMEOUT, Failures.classify(e).kind());
        assertEquals(1, calls.get());
        // The silent call sleeps 5 s: half of that proves the 150 ms timeout cut it, on any machine.
        assertTrue(took < 2_500, "took " + took + " ms");
    }

    @Test
    void retriesStopAtTheRequestDeadline() {
        RetrySettings retry = new RetrySettings(50, Duration.ofMillis(100), Duration.ofMillis(100), 1, Duration.ofMillis(100));
        ResilientClient c = client(100, Duration.ofMinutes(1), 1, retry, Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThrows(Exception.class, () -> Deadline.in(Duration.ofMillis(350)).run(() -> c.call(this::fail)));
        long took = (System.nanoTime() - start) / 1_000_000;
        // Without the deadline, 50 retries 100 ms apart take over 5 s: half that is a bound no loaded machine reaches.
        assertTrue(took < 2_500, "took " + took + " ms");
        assertTrue(calls.get() <= 4, "calls " + calls.get());
    }

    @Test
    void anAttemptNeverOutlivesTheRequestDeadline() {
        ResilientClient c = client(100, Duration.ofMinutes(1), 1, RetrySettings.NONE, Duration.ofSeconds(30));
        long start = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> Deadline.in(Duration.ofMillis(500)).run(() -> c.call(() -> {
            calls.incrementAndGet();
            Thread.sleep(5_000);
            return "late";
        })));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(FailureKind.DEADLINE, Failures.classify(e).kind());
        assertTrue(took < 2_500, "the 5 s answer must not be waited for (timeout 30 s, deadline 0.5 s): took " + took + " ms");
        assertEquals(0, c.stats().failedCalls(), "running out of request time is not the service's fault");
        assertTrue(!Thread.currentThread().isInterrupted(), "no interrupt leaks to the caller");
    }

    @Test
    void resetClosesAndReportsAManualTransition() {
        ResilientClient c = noRetry(1, Duration.ofMinutes(1), 1);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        assertEquals(BreakerState.OPEN, c.state());
        c.reset();
        assertEquals(BreakerState.CLOSED, c.state());
        assertEquals(0, c.stats().failureCount());
        assertNull(c.stats().nextProbeAt());
        BreakerTransition last = transitions.get(transitions.size() - 1);
        assertEquals(BreakerState.CLOSED, last.to());
        assertTrue(last.manual());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void blockingAndAsynchronousCallsShareOneBreaker() throws Exception {
        ResilientClient c = noRetry(3, Duration.ofMinutes(1), 1);
        assertThrows(ClassifiedException.class, () -> c.call(this::fail));
        Deadline deadline = Deadline.in(Duration.ofSeconds(30));
        for (int i = 0; i < 2; i++) {
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> c.callAsync(() -> java.util.concurrent.CompletableFuture.supplyAsync(this::fail), deadline)
                            .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof ClassifiedException, failed.getCause().toString());
        }
        assertEquals(BreakerState.OPEN, c.state());
        assertEquals(3, calls.get());
        assertThrows(CircuitBreakerOpenException.class, () -> c.call(this::succeed));
        java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> c.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture(succeed()), deadline)
                        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof CircuitBreakerOpenException, refused.getCause().toString());
        assertEquals(3, calls.get());
    }

    @Test
    void anAsynchronousCallIsRetriedAsABlockingOneIs() throws Exception {
        ResilientClient c = client(5, Duration.ofMinutes(1), 1,
                new RetrySettings(2, Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMillis(1)), Duration.ofSeconds(5));
        String answer = c.callAsync(() -> calls.get() < 2 ? java.util.concurrent.CompletableFuture.supplyAsync(this::fail)
                : java.util.concurrent.CompletableFuture.completedFuture(succeed()), Deadline.in(Duration.ofSeconds(30)))
                .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("ok", answer);
        assertEquals(3, calls.get());
        assertEquals(BreakerState.CLOSED, c.state());
    }
}
