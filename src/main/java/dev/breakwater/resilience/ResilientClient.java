package dev.breakwater.resilience;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One protected dependency (a model, Redis, the Factor Broker): a SmallRye Fault Tolerance guard
 * made of retry → circuit breaker → timeout, plus the bookkeeping the breaker itself does not
 * expose (counts, last failure, next probe time, transitions with their previous state).
 */
public final class ResilientClient {

    private static final AtomicLong GENERATION = new AtomicLong();

    private final String service;
    private final String breakerId;
    private final ResiliencePolicy policy;
    private final Backoff backoff;
    private final Guard guard;
    private final Clock clock;
    private final BreakerListener listener;
    private final PeerState peers;

    private final AtomicReference<BreakerState> state = new AtomicReference<>(BreakerState.CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong totalCalls = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicLong blockedCalls = new AtomicLong();
    private final OutcomeWindow window;
    private volatile Instant lastFailure;
    private volatile long openedAtNanos;
    private volatile Instant openedAt = Instant.EPOCH;

    public ResilientClient(String service, ResiliencePolicy policy, Clock clock, BreakerListener listener) {
        this(service, policy, clock, listener, PeerState.NONE);
    }

    public ResilientClient(String service, ResiliencePolicy policy, Clock clock, BreakerListener listener,
                           PeerState peers) {
        this.peers = peers;
        this.service = service;
        // SmallRye keeps breakers in a global registry keyed by name; a rebuilt client (new settings
        // at runtime) must not collide with the one it replaces.
        this.breakerId = service + "#" + GENERATION.incrementAndGet();
        this.policy = policy;
        this.backoff = new Backoff(policy.retry(), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = clock;
        this.listener = listener;
        this.window = new OutcomeWindow(policy.breaker().failureThreshold());
        this.guard = buildGuard();
    }

    private Guard buildGuard() {
        Guard.Builder builder = Guard.create();
        RetrySettings retry = policy.retry();
        if (retry.maxRetries() > 0) {
            builder.withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(0, ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(Long.MAX_VALUE / 2, ChronoUnit.MILLIS)
                    .whenException(this::shouldRetry)
                    .withCustomBackoff().strategy(BackoffStrategy::new).done()
                    .done();
        }
        BreakerSettings breaker = policy.breaker();
        builder.withCircuitBreaker()
                .name(breakerId)
                // "N consecutive failures": a rolling window of the last N calls, all of them failed.
                .requestVolumeThreshold(breaker.failureThreshold())
                .failureRatio(1.0)
                .delay(breaker.recoveryTimeout().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .when(t -> Failures.classify(t).kind().countsAgainstBreaker())
                .onSuccess(this::recordSuccess)
                .onFailure(this::recordFailure)
                .onPrevented(this::recordBlocked)
                .onStateChange(s -> transitionTo(BreakerState.of(s), false))
                .done();
        if (policy.timeout() != null && !policy.timeout().isZero()) {
            builder.withTimeout().duration(policy.timeout().toMillis(), ChronoUnit.MILLIS).done();
        }
        return builder.build();
    }

    /**
     * Runs {@code action} under the guard. While the breaker is open and its recovery timeout has not
     * passed, fails at once with {@link CircuitBreakerOpenException} without entering the guard.
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Callable<T> action) throws Exception {
        if (blocks()) {
            throw new CircuitBreakerOpenException(service);
        }
        Callable<T> bounded = () -> {
            if (Deadline.current().expired()) {
                throw new DeadlineExceededException();
            }
            return action.call();
        };
        return (T) guard.call((Callable<Object>) bounded, Object.class);
    }

    /** True while this breaker waits out its recovery timeout, or while another replica's breaker for the service does. */
    public boolean isOpenAndWaiting() {
        return state.get() == BreakerState.OPEN
                && System.nanoTime() - openedAtNanos < policy.breaker().recoveryTimeout().toNanos()
                || peers.openElsewhere(service);
    }

    /** Like {@link #isOpenAndWaiting()}, for a caller about to skip this service: counts the call as blocked. */
    public boolean blocks() {
        if (!isOpenAndWaiting()) {
            return false;
        }
        recordBlocked();
        return true;
    }

    public BreakerStats stats() {
        BreakerState current = state.get();
        Instant nextProbe = current == BreakerState.OPEN
                ? openedAt.plus(policy.breaker().recoveryTimeout())
                : null;
        return new BreakerStats(service, current, consecutiveFailures.get(), totalCalls.get(), failedCalls.get(),
                blockedCalls.get(), window.failureRate(), lastFailure, nextProbe, policy.breaker());
    }

    /** Closes the breaker and clears its failure run. SmallRye's reset fires no listener, so the transition is emitted here. */
    public void reset() {
        CircuitBreakerMaintenance.get().reset(breakerId);
        consecutiveFailures.set(0);
        transitionTo(BreakerState.CLOSED, true);
    }

    public String service() {
        return service;
    }

    public ResiliencePolicy policy() {
        return policy;
    }

    public BreakerState state() {
        return state.get();
    }

    private boolean shouldRetry(Throwable t) {
        Failure failure = Failures.classify(t);
        // A retry whose shortest possible wait already reaches the deadline could only be capped to
        // nothing and fire at once: stop instead of bursting calls in the budget's last millisecond.
        return failure.kind().retryable() && backoff.fits(failure.retryAfter())
                && Deadline.current().remainingMillis() > backoff.shortestWaitMillis(failure.retryAfter());
    }

    private void recordSuccess() {
        totalCalls.incrementAndGet();
        window.record(false);
        consecutiveFailures.set(0);
    }

    private void recordFailure() {
        totalCalls.incrementAndGet();
        window.record(true);
        failedCalls.incrementAndGet();
        consecutiveFailures.incrementAndGet();
        lastFailure = clock.instant();
        listener.onCall(new BreakerCall(service, BreakerCall.Outcome.FAILED));
    }

    private void recordBlocked() {
        blockedCalls.incrementAndGet();
        listener.onCall(new BreakerCall(service, BreakerCall.Outcome.BLOCKED));
    }

    private void transitionTo(BreakerState next, boolean manual) {
        BreakerState previous = state.getAndSet(next);
        if (previous == next && !manual) {
            return;
        }
        if (next == BreakerState.OPEN) {
            openedAtNanos = System.nanoTime();
            openedAt = clock.instant();
        }
        if (next == BreakerState.CLOSED) {
            window.clear();
        }
        if (previous != next) {
            listener.onTransition(new BreakerTransition(service, previous, next, clock.instant(),
                    consecutiveFailures.get(), lastFailure, manual));
        }
    }

    /** Per-invocation back-off state: SmallRye asks for a fresh strategy for every guarded call. */
    private final class BackoffStrategy implements CustomBackoffStrategy {
        private int retries;

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long delay = backoff.delayMillis(retries++, Failures.classify(cause).retryAfter());
            return Math.min(delay, Deadline.current().remainingMillis());
        }
    }
}
