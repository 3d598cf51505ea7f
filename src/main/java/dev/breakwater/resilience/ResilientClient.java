package dev.breakwater.resilience;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One protected dependency (a model, Redis, the Factor Broker): a SmallRye Fault Tolerance guard
 * made of retry → circuit breaker → timeout, plus the bookkeeping the breaker itself does not
 * expose (counts, last failure, next probe time, transitions with their previous state).
 */
public final class ResilientClient {

    private static final TypeLiteral<CompletionStage<Object>> ASYNC = new TypeLiteral<>() {
    };

    private final String service;
    private final ResiliencePolicy policy;
    private final Backoff backoff;
    /** Replaced by a fresh one on reset: the SmallRye breaker inside is unnamed, so nothing global holds it. */
    private volatile Guard guard;
    private final AtomicInteger guardGeneration = new AtomicInteger();
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
        this.policy = policy;
        this.backoff = new Backoff(policy.retry(), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = clock;
        this.listener = listener;
        this.window = new OutcomeWindow(policy.breaker().failureThreshold());
        this.guard = buildGuard();
    }

    /**
     * The breaker is deliberately unnamed: SmallRye keeps named breakers in a global registry it never
     * empties, and services come and go (routed model ids, reloads, admin rebuilds). Only the newest
     * guard's state changes count: a call still finishing on a guard replaced by a reset must not
     * re-open the breaker it no longer belongs to.
     */
    private Guard buildGuard() {
        int generation = guardGeneration.incrementAndGet();
        // Asynchronous tries start on the caller's thread (an event loop): they hold no thread of their own.
        Guard.Builder builder = Guard.create().withThreadOffload(false);
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
                // "N consecutive failures": a rolling window of the last N calls, all of them failed.
                .requestVolumeThreshold(breaker.failureThreshold())
                .failureRatio(1.0)
                .delay(breaker.recoveryTimeout().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .when(t -> Failures.classify(t).kind().countsAgainstBreaker())
                .onSuccess(this::recordSuccess)
                .onFailure(this::recordFailure)
                .onPrevented(this::recordBlocked)
                .onStateChange(s -> {
                    if (generation == guardGeneration.get()) {
                        transitionTo(BreakerState.of(s), false);
                    }
                })
                .done();
        if (policy.timeout() != null && !policy.timeout().isZero()) {
            builder.withTimeout().duration(policy.timeout().toMillis(), ChronoUnit.MILLIS).done();
        }
        return builder.build();
    }

    /**
     * Runs {@code action} under the guard. While the breaker is open and its recovery timeout has not
     * passed, or a peer replica holds the service open and this call is not its one probe, fails at once
     * with {@link CircuitBreakerOpenException} without entering the guard.
     */
    public <T> T call(Callable<T> action) throws Exception {
        PeerState.Admission admission = waitingLocally() ? PeerState.Admission.SKIP : peers.admit(service);
        if (admission == PeerState.Admission.SKIP) {
            recordBlocked();
            throw new CircuitBreakerOpenException(service);
        }
        Deadline deadline = Deadline.current();
        Callable<T> bounded = () -> {
            if (deadline.expired()) {
                throw new DeadlineExceededException();
            }
            return deadline.remainingMillis() < timeoutMillis() ? deadline.bound(action) : action.call();
        };
        return admission == PeerState.Admission.PROBE ? probe(bounded) : guarded(bounded);
    }

    /**
     * {@link #call} for tries that hold no thread: {@code action} starts one and returns at once. Same
     * guard, so one breaker, retry policy and timeout per service whichever way it is called. The
     * tries run within {@code deadline}, which ends each when it passes or the caller hangs up (see
     * {@link Deadline#cut}). The guard's timeout gives up on a try but leaves it running, holding its
     * upstream request: such a try is ended when the retry starts the next one, or when the call is over.
     */
    public <T> CompletionStage<T> callAsync(Supplier<CompletableFuture<T>> action, Deadline deadline) {
        PeerState.Admission admission = waitingLocally() ? PeerState.Admission.SKIP : peers.admit(service);
        if (admission == PeerState.Admission.SKIP) {
            recordBlocked();
            return CompletableFuture.failedFuture(new CircuitBreakerOpenException(service));
        }
        Tries<T> tries = new Tries<>(action, deadline);
        CompletionStage<T> guarded = deadline.within(() -> {
            try {
                @SuppressWarnings("unchecked")
                CompletionStage<T> started = (CompletionStage<T>) (CompletionStage<?>) guard.call(tries::next, ASYNC);
                return started;
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
        CompletableFuture<T> ended = new CompletableFuture<>();
        guarded.whenComplete((answer, failure) -> deadline.within(() -> {
            tries.end();
            Throwable cause = TryStages.unwrap(failure);
            if (admission == PeerState.Admission.PROBE) {
                probed(cause);
            }
            return cause == null ? ended.complete(answer) : ended.completeExceptionally(cause);
        }));
        return ended;
    }

    /**
     * The tries of one asynchronous call. Each completes within the call's deadline, so the guard's
     * retry predicate and back-off, which run on as part of that completion, read it as on a blocking call.
     */
    private final class Tries<T> {
        private final Supplier<CompletableFuture<T>> action;
        private final Deadline deadline;
        private CompletableFuture<T> current;

        Tries(Supplier<CompletableFuture<T>> action, Deadline deadline) {
            this.action = action;
            this.deadline = deadline;
        }

        CompletionStage<Object> next() {
            end();
            if (deadline.expired()) {
                return CompletableFuture.failedFuture(new DeadlineExceededException());
            }
            CompletableFuture<T> attempt;
            try {
                attempt = deadline.within(action);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            synchronized (this) {
                current = attempt;
            }
            deadline.cut(attempt, timeoutMillis());
            CompletableFuture<Object> reported = new CompletableFuture<>();
            attempt.whenComplete((answer, failure) -> deadline.within(() -> failure == null
                    ? reported.complete(answer) : reported.completeExceptionally(TryStages.unwrap(failure))));
            return reported;
        }

        /** Ends the try still in flight, if any: one the guard's timeout gave up on. */
        void end() {
            CompletableFuture<T> running;
            synchronized (this) {
                running = current;
                current = null;
            }
            if (running != null && !running.isDone()) {
                running.completeExceptionally(new org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException(
                        "no answer within the timeout"));
            }
        }
    }

    /** The guard's own per-attempt timeout; when the request has less time left, the deadline cuts the attempt instead. */
    private long timeoutMillis() {
        return policy.timeout() == null || policy.timeout().isZero() ? Long.MAX_VALUE : policy.timeout().toMillis();
    }

    @SuppressWarnings("unchecked")
    private <T> T guarded(Callable<T> bounded) throws Exception {
        return (T) guard.call((Callable<Object>) bounded, Object.class);
    }

    /** The one call let through after a peer's opening: its outcome decides for every replica. */
    private <T> T probe(Callable<T> bounded) throws Exception {
        T answer;
        try {
            answer = guarded(bounded);
        } catch (Exception e) {
            probed(e);
            throw e;
        }
        probed(null);
        return answer;
    }

    /** Tells the peers how the probe went: {@code failure} null when it answered. */
    private void probed(Throwable failure) {
        FailureKind kind = failure == null ? null : Failures.classify(failure).kind();
        if (kind == null) {
            peers.probeSucceeded(service);
        } else if (kind.countsAgainstBreaker()) {
            peers.probeFailed(service);
        } else if (kind == FailureKind.DEADLINE || kind == FailureKind.CANCELLED || kind == FailureKind.OPEN_CIRCUIT
                || kind == FailureKind.BUSY) {
            peers.probeAbandoned(service);
        } else {
            // The model answered (a content-policy refusal, say): alive, as the breaker itself counts it.
            peers.probeSucceeded(service);
        }
    }

    /** True while this breaker waits out its recovery timeout, or while another replica's breaker for the service does. */
    public boolean isOpenAndWaiting() {
        return waitingLocally() || peers.openElsewhere(service);
    }

    private boolean waitingLocally() {
        return state.get() == BreakerState.OPEN
                && System.nanoTime() - openedAtNanos < policy.breaker().recoveryTimeout().toNanos();
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
        BreakerState local = state.get();
        PeerOpening peer = peerOpening(local);
        Instant nextProbe;
        if (peer != null) {
            nextProbe = peer.probingHere() ? null : peer.openUntil();
        } else {
            nextProbe = local == BreakerState.OPEN ? openedAt.plus(policy.breaker().recoveryTimeout()) : null;
        }
        return new BreakerStats(service, shown(local, peer), consecutiveFailures.get(), totalCalls.get(),
                failedCalls.get(), blockedCalls.get(), window.failureRate(), lastFailure, nextProbe, policy.breaker(),
                peer != null);
    }

    /**
     * The state operators are shown (status page, health, metrics): this replica's breaker, or, while it is
     * closed, a peer's opening of the service (OPEN, HALF_OPEN while this replica probes for everyone).
     */
    public BreakerState reportedState() {
        BreakerState local = state.get();
        return shown(local, peerOpening(local));
    }

    /** This replica's own opening says more (its failures, its probe time) than a peer's, so it wins. */
    private PeerOpening peerOpening(BreakerState local) {
        return local == BreakerState.CLOSED ? peers.opening(service).orElse(null) : null;
    }

    private static BreakerState shown(BreakerState local, PeerOpening peer) {
        if (peer == null) {
            return local;
        }
        return peer.probingHere() ? BreakerState.HALF_OPEN : BreakerState.OPEN;
    }

    /** Closes the breaker and clears its failure run. SmallRye's reset fires no listener, so the transition is emitted here. */
    public void reset() {
        close(true);
    }

    /**
     * A peer's probes proved the service healthy: closes this replica's breaker too. Not manual: for the
     * metrics it is the end of this replica's outage as well.
     */
    public void closeAfterPeerRecovery() {
        if (state.get() != BreakerState.CLOSED) {
            close(false);
        }
    }

    private void close(boolean manual) {
        guard = buildGuard();
        consecutiveFailures.set(0);
        transitionTo(BreakerState.CLOSED, manual);
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
        // While a peer holds the service open, or this very call is the probe, another try would be a
        // second probe: a failed probe re-opens the service for every replica instead.
        if (peers.openElsewhere(service)) {
            return false;
        }
        // A retry whose shortest possible wait already reaches the deadline could only be capped to
        // nothing and fire at once: stop instead of bursting calls in the budget's last millisecond.
        return failure.kind().retryable() && backoff.fits(failure.retryAfter())
                && Deadline.current().remainingMillis() > backoff.shortestWaitMillis(failure.retryAfter());
    }

    private void recordSuccess() {
        totalCalls.incrementAndGet();
        window.record(false);
        consecutiveFailures.set(0);
        if (state.get() == BreakerState.HALF_OPEN) {
            peers.ownProbeSucceeded(service);
        }
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
