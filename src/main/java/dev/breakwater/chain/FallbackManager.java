package dev.breakwater.chain;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.Failures;
import dev.breakwater.resilience.TryStages;
import jakarta.inject.Inject;
import dev.breakwater.resilience.BreakerRemoved;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Walks a chain: each model in turn, through its own breaker, retries and timeout, until one
 * answers and its answer passes the quality check. A model served by several deployments is tried
 * deployment by deployment ({@link DeploymentOrder}) before the walk moves to the next model. Every
 * try is recorded so the caller can be told exactly what happened.
 */
@Singleton
public class FallbackManager {

    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final AttemptObserver observer;
    private final DeploymentOrder deployments;

    public FallbackManager() {
        this(AttemptObserver.NONE);
    }

    @Inject
    public FallbackManager(AttemptObserver observer) {
        this(observer, DeploymentOrder.threadLocal());
    }

    FallbackManager(AttemptObserver observer, DeploymentOrder deployments) {
        this.observer = observer;
        this.deployments = deployments;
    }

    /**
     * Walks {@code chain} on the calling thread, within {@link Deadline#current()} (the caller sets
     * the request's deadline). Blocks on upstream calls, so never from an event loop.
     */
    public <T> FallbackResult<T> executeWithFallback(ModelChain chain, ModelCall<T> fn, QualityCheck<T> qualityCheck,
                                                     double minQuality) {
        // A blocking call's tries all complete on this thread, so the walk is over when this returns.
        try {
            return walk(chain, fn, qualityCheck, minQuality, Deadline.current()).toCompletableFuture().join();
        } catch (CompletionException e) {
            // Only an Error (or a bug) escapes the walk: as it was thrown.
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Walks {@code chain} within {@code deadline}. A call that {@link ModelCall#blocks() blocks} is made
     * on the calling thread, and the walk is over when this returns; any other holds no thread while
     * it waits for an upstream, and the walk goes on on the thread that completed the try (an event loop).
     */
    public <T> CompletionStage<FallbackResult<T>> walk(ModelChain chain, ModelCall<T> fn, QualityCheck<T> qualityCheck,
                                                       double minQuality, Deadline deadline) {
        List<ModelEndpoint> models = chain.models().stream().flatMap(m -> deployments.of(m).stream()).toList();
        return new Walk<>(chain, models, fn, qualityCheck, minQuality, deadline).from(0);
    }

    /** One walk down a chain: what has been tried so far, and why the last model failed. */
    private final class Walk<T> {
        private final ModelChain chain;
        private final List<ModelEndpoint> models;
        private final ModelCall<T> fn;
        private final QualityCheck<T> qualityCheck;
        private final double minQuality;
        private final Deadline deadline;
        private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        private Failure last;
        private boolean called;

        Walk(ModelChain chain, List<ModelEndpoint> models, ModelCall<T> fn, QualityCheck<T> qualityCheck, double minQuality,
             Deadline deadline) {
            this.chain = chain;
            this.models = models;
            this.fn = fn;
            this.qualityCheck = qualityCheck;
            this.minQuality = minQuality;
            this.deadline = deadline;
            this.last = Failure.of(FailureKind.ERROR, "chain '" + chain.name() + "' has no usable model");
        }

        /** The walk from the {@code i}-th model on. */
        CompletionStage<FallbackResult<T>> from(int i) {
            for (; i < models.size(); i++) {
                ModelEndpoint model = models.get(i);
                if (deadline.cancelled()) {
                    last = Failure.of(FailureKind.CANCELLED, "the caller disconnected before " + model.name() + " could be tried");
                    break;
                }
                if (deadline.expired()) {
                    last = Failure.of(FailureKind.DEADLINE, "request deadline exceeded before " + model.name() + " could be tried");
                    break;
                }
                if (!model.available()) {
                    attempts.add(passedOver(chain, model, new Attempt(model.name(), model.provider().id(),
                            AttemptOutcome.SKIPPED_NOT_CONFIGURED, 0, null, model.unavailableReason(), model.deployment())));
                    continue;
                }
                Failure refused = admission(model, fn);
                if (refused != null) {
                    attempts.add(passedOver(chain, model, attempt(model, refused, 0)));
                    // A model that was asked and failed says more about the chain than a request it could not take.
                    last = called ? last : refused;
                    continue;
                }
                if (model.resilience().blocks()) {
                    counters(model.service()).skipped.increment();
                    attempts.add(passedOver(chain, model, new Attempt(model.name(), model.provider().id(),
                            AttemptOutcome.SKIPPED_OPEN_CIRCUIT, 0, null, null, model.deployment())));
                    last = Failure.of(FailureKind.OPEN_CIRCUIT, "circuit breaker of " + model.service() + " is open");
                    continue;
                }
                called = true;
                int next = i + 1;
                int before = attempts.size();
                long start = System.nanoTime();
                return call(model).handle((answer, failure) -> deadline.within(() -> failure == null
                                ? CompletableFuture.completedFuture(answered(model, answer))
                                : failed(model, TryStages.unwrap(failure), before, start) ? from(next) : over()))
                        .thenCompose(Function.identity());
            }
            return over();
        }

        private CompletionStage<T> call(ModelEndpoint model) {
            if (!fn.blocks()) {
                return model.resilience().callAsync(() -> tryAsync(model), deadline);
            }
            try {
                return CompletableFuture.completedFuture(model.resilience().call(() -> tryOnce(model)));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private FallbackResult<T> answered(ModelEndpoint model, T answer) {
            counters(model.service()).successes.increment();
            return new FallbackResult<>(true, answer, model, attempts, null);
        }

        /** Records why {@code model} failed; true when the walk goes on to the next model. */
        private boolean failed(ModelEndpoint model, Throwable e, int before, long start) {
            Failure failure = Failures.classify(e);
            if (attempts.size() == before) {
                // Nothing recorded inside: the guard itself refused (open breaker) or timed out the try.
                attempts.add(passedOver(chain, model, attempt(model, failure, System.nanoTime() - start)));
            } else if (failure.kind() == FailureKind.TIMEOUT || failure.kind() == FailureKind.DEADLINE) {
                markLastAs(attempts, model, failure);
            }
            Counters c = counters(model.service());
            if (failure.kind() == FailureKind.OPEN_CIRCUIT) {
                c.skipped.increment();
            } else {
                c.failures.increment();
            }
            last = failure;
            return chain.fallsOverOn(failure.kind());
        }

        private CompletionStage<FallbackResult<T>> over() {
            return CompletableFuture.completedFuture(new FallbackResult<>(false, null, null, attempts, last));
        }

        private T tryOnce(ModelEndpoint model) throws Exception {
            AttemptObserver.Try observed = started(model);
            long start = System.nanoTime();
            Attempt attempt = null;
            try {
                T answer = checked(model, fn.call(model.observedBy(observed)));
                attempt = ok(model, start);
                attempts.add(attempt);
                return answer;
            } catch (Exception e) {
                attempt = attempt(model, Failures.classify(e), System.nanoTime() - start);
                attempts.add(attempt);
                throw e;
            } finally {
                // An Error escapes unrecorded, as before; the observer still hears that the try is over.
                observed.ended(attempt != null ? attempt
                        : attempt(model, Failure.of(FailureKind.ERROR, "aborted"), System.nanoTime() - start));
            }
        }

        /**
         * {@link #tryOnce} for a call that holds no thread: recorded as it ends, however it ends (answered,
         * failed, or cut by its timeout, the deadline or the caller leaving), before the guard hears of it.
         */
        private CompletableFuture<T> tryAsync(ModelEndpoint model) {
            AttemptObserver.Try observed = started(model);
            long start = System.nanoTime();
            CompletableFuture<T> started;
            try {
                started = fn.start(model.observedBy(observed));
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            } finally {
                observed.detached();
            }
            return TryStages.then(started, (answer, failure) -> {
                Throwable outcome = failure;
                T accepted = null;
                if (outcome == null) {
                    try {
                        accepted = checked(model, answer);
                    } catch (RuntimeException rejected) {
                        outcome = rejected;
                    }
                }
                Throwable ended = outcome;
                Attempt attempt = ended == null ? ok(model, start)
                        : attempt(model, deadline.within(() -> Failures.classify(ended)), System.nanoTime() - start);
                attempts.add(attempt);
                observed.ended(attempt);
                if (outcome != null) {
                    throw outcome;
                }
                return accepted;
            });
        }

        private AttemptObserver.Try started(ModelEndpoint model) {
            counters(model.service()).attempts.increment();
            return observer.started(chain, model);
        }

        /** {@code answer} if it passes the quality check. */
        private T checked(ModelEndpoint model, T answer) {
            QualityVerdict verdict = qualityCheck.check(answer, minQuality);
            if (!verdict.accepted()) {
                counters(model.service()).rejected.increment();
                throw new ClassifiedException(Failure.of(verdict.kind(), verdict.reason()));
            }
            return answer;
        }
    }

    /** Why {@code fn} cannot go to {@code model} at all, or null when it can. */
    private static <T> Failure admission(ModelEndpoint model, ModelCall<T> fn) {
        try {
            fn.admit(model);
            return null;
        } catch (ClassifiedException refused) {
            return refused.failure();
        }
    }

    /** An attempt with no try of its own: passed over, or refused or cut short by the guard before the try recorded it. */
    private Attempt passedOver(ModelChain chain, ModelEndpoint model, Attempt attempt) {
        observer.skipped(chain, model, attempt);
        return attempt;
    }

    /**
     * A try interrupted by the guard's timeout or the request deadline records whatever the interruption
     * looked like inside; the guard knows better.
     */
    private static void markLastAs(List<Attempt> attempts, ModelEndpoint model, Failure failure) {
        AttemptOutcome outcome = AttemptOutcome.of(failure.kind());
        synchronized (attempts) {
            int i = attempts.size() - 1;
            Attempt a = attempts.get(i);
            if (a.model().equals(model.name()) && Objects.equals(a.deployment(), model.deployment())
                    && a.outcome() != outcome) {
                attempts.set(i, new Attempt(a.model(), a.provider(), outcome, a.latencyMs(), null, failure.message(),
                        a.deployment()));
            }
        }
    }

    private static Attempt attempt(ModelEndpoint model, Failure failure, long nanos) {
        return new Attempt(model.name(), model.provider().id(), AttemptOutcome.of(failure.kind()), nanos / 1_000_000,
                failure.httpStatus() == 0 ? null : failure.httpStatus(), failure.message(), model.deployment());
    }

    private static Attempt ok(ModelEndpoint model, long startNanos) {
        return new Attempt(model.name(), model.provider().id(), AttemptOutcome.OK, millisSince(startNanos), null, null,
                model.deployment());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private Counters counters(String model) {
        return counters.computeIfAbsent(model, m -> new Counters());
    }

    void onRemoved(@Observes BreakerRemoved removed) {
        counters.remove(removed.service());
    }

    /** Per-model counts since start, by model name (by deployment for a model served by several). */
    public Map<String, ModelMetrics> metrics() {
        Map<String, ModelMetrics> out = new TreeMap<>();
        counters.forEach((name, c) -> out.put(name, new ModelMetrics(c.attempts.sum(), c.successes.sum(),
                c.failures.sum(), c.rejected.sum(), c.skipped.sum())));
        return out;
    }

    private static final class Counters {
        final LongAdder attempts = new LongAdder();
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder skipped = new LongAdder();
    }
}
