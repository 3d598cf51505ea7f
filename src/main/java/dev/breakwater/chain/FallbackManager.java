package dev.breakwater.chain;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.Failures;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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

    /** Runs within {@link Deadline#current()}; the caller sets the request's deadline. */
    public <T> FallbackResult<T> executeWithFallback(ModelChain chain, ModelCall<T> fn, QualityCheck<T> qualityCheck,
                                                     double minQuality) {
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        Failure last = Failure.of(FailureKind.ERROR, "chain '" + chain.name() + "' has no usable model");
        boolean called = false;
        for (ModelEndpoint model : chain.models().stream().flatMap(m -> deployments.of(m).stream()).toList()) {
            if (Deadline.current().cancelled()) {
                last = Failure.of(FailureKind.CANCELLED, "the caller disconnected before " + model.name() + " could be tried");
                break;
            }
            if (Deadline.current().expired()) {
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
            Counters c = counters(model.service());
            if (model.resilience().blocks()) {
                c.skipped.increment();
                attempts.add(passedOver(chain, model, new Attempt(model.name(), model.provider().id(),
                        AttemptOutcome.SKIPPED_OPEN_CIRCUIT, 0, null, null, model.deployment())));
                last = Failure.of(FailureKind.OPEN_CIRCUIT, "circuit breaker of " + model.service() + " is open");
                continue;
            }
            called = true;
            int before = attempts.size();
            long start = System.nanoTime();
            try {
                T answer = model.resilience().call(() -> tryOnce(chain, model, fn, qualityCheck, minQuality, attempts));
                c.successes.increment();
                return new FallbackResult<>(true, answer, model, attempts, null);
            } catch (Exception e) {
                Failure failure = Failures.classify(e);
                if (attempts.size() == before) {
                    // Nothing recorded inside: the guard itself refused (open breaker) or timed out the try.
                    attempts.add(passedOver(chain, model, attempt(model, failure, System.nanoTime() - start)));
                } else if (failure.kind() == FailureKind.TIMEOUT || failure.kind() == FailureKind.DEADLINE) {
                    markLastAs(attempts, model, failure);
                }
                if (failure.kind() == FailureKind.OPEN_CIRCUIT) {
                    c.skipped.increment();
                } else {
                    c.failures.increment();
                }
                last = failure;
                if (!chain.fallsOverOn(failure.kind())) {
                    break;
                }
            }
        }
        return new FallbackResult<>(false, null, null, attempts, last);
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

    private <T> T tryOnce(ModelChain chain, ModelEndpoint model, ModelCall<T> fn, QualityCheck<T> qualityCheck,
                          double minQuality, List<Attempt> attempts) throws Exception {
        Counters c = counters(model.service());
        c.attempts.increment();
        AttemptObserver.Try observed = observer.started(chain, model);
        long start = System.nanoTime();
        Attempt attempt = null;
        try {
            T answer = fn.call(model.observedBy(observed));
            QualityVerdict verdict = qualityCheck.check(answer, minQuality);
            if (!verdict.accepted()) {
                c.rejected.increment();
                throw new ClassifiedException(Failure.of(verdict.kind(), verdict.reason()));
            }
            attempt = new Attempt(model.name(), model.provider().id(), AttemptOutcome.OK, millisSince(start), null, null,
                    model.deployment());
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
