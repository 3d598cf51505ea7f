package dev.breakwater.resilience;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The end of a request's time budget. The deadline travels as a thread-local: the retry back-off, the
 * attempt guard and failure classification read it without every signature carrying it. A request
 * that keeps a thread for its whole walk binds it with {@link #run}; an asynchronous walk makes it
 * current for each of its steps with {@link #within}, and its tries, which hold no thread, are ended
 * by {@link #cut} instead of an interrupt.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();
    /** Only schedules interrupts: one daemon thread for the whole process. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "breakwater-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long endNanos;
    private volatile boolean cancelled;
    private Thread runner;
    /** The asynchronous try in flight under this deadline, ended at once when the caller hangs up. */
    private CompletableFuture<?> attempt;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public static Deadline none() {
        return new Deadline(Long.MAX_VALUE);
    }

    public long remainingMillis() {
        if (cancelled) {
            return 0;
        }
        if (endNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    public boolean expired() {
        return cancelled || endNanos != Long.MAX_VALUE && System.nanoTime() >= endNanos;
    }

    /**
     * The caller has gone: the budget ends now. The thread running within this deadline is
     * interrupted, which resets its upstream call in flight; nothing further starts.
     */
    public synchronized void cancel() {
        cancelled = true;
        if (runner != null) {
            runner.interrupt();
        }
        if (attempt != null) {
            attempt.completeExceptionally(new DeadlineExceededException());
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Runs {@code action} on this thread and interrupts it when the deadline passes, as the guard's
     * timeout does for its own duration: a blocking upstream call then ends with
     * {@link DeadlineExceededException}, which no breaker counts and no retry or fall-over follows.
     */
    public <T> T bound(Callable<T> action) throws Exception {
        if (endNanos == Long.MAX_VALUE) {
            return action.call();
        }
        Thread caller = Thread.currentThread();
        AtomicBoolean fired = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        ScheduledFuture<?> alarm = TIMER.schedule(() -> {
            synchronized (done) {
                if (!done.get()) {
                    fired.set(true);
                    caller.interrupt();
                }
            }
        }, Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        try {
            T answer = action.call();
            if (fired.get()) {
                throw new DeadlineExceededException();
            }
            return answer;
        } catch (Exception e) {
            if (fired.get()) {
                DeadlineExceededException cut = new DeadlineExceededException();
                cut.addSuppressed(e);
                throw cut;
            }
            throw e;
        } finally {
            synchronized (done) {
                done.set(true);
            }
            alarm.cancel(false);
            if (fired.get()) {
                // The alarm may have fired just as the action finished: its interrupt must not leak to the caller.
                Thread.interrupted();
            }
        }
    }

    /**
     * Ends {@code attempt}, a try that holds no thread, with {@link DeadlineExceededException} when the
     * deadline passes, or at once when the caller hangs up: what {@link #bound} does by interrupting a
     * blocked try. Whoever started the try resets its upstream request when it ends that way. No alarm
     * is set when the try's own timeout ({@code timeoutMillis}) comes first: the guard ends it then.
     */
    public void cut(CompletableFuture<?> attempt, long timeoutMillis) {
        synchronized (this) {
            if (cancelled) {
                attempt.completeExceptionally(new DeadlineExceededException());
                return;
            }
            this.attempt = attempt;
        }
        // Scheduling wakes the timer thread: a cost per call the common case (a budget longer than the timeout) does not pay.
        ScheduledFuture<?> alarm = remainingMillis() >= timeoutMillis ? null : TIMER.schedule(
                () -> attempt.completeExceptionally(new DeadlineExceededException()),
                Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        attempt.whenComplete((answer, failure) -> {
            if (alarm != null) {
                alarm.cancel(false);
            }
            synchronized (this) {
                if (this.attempt == attempt) {
                    this.attempt = null;
                }
            }
        });
    }

    /**
     * Runs {@code body} with this deadline as the current one, without binding the thread to it: for
     * the steps of an asynchronous walk, which run on whatever thread completed the step before.
     */
    public <T> T within(java.util.function.Supplier<T> body) {
        Deadline previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Deadline of the request running on this thread, or none. */
    public static Deadline current() {
        Deadline d = CURRENT.get();
        return d == null ? none() : d;
    }

    /** Runs {@code body} with this deadline as the current one, restoring the previous afterwards. */
    public <T, E extends Exception> T run(ThrowingSupplier<T, E> body) throws E {
        Deadline previous = CURRENT.get();
        CURRENT.set(this);
        synchronized (this) {
            runner = Thread.currentThread();
            if (cancelled) {
                runner.interrupt(); // cancelled before it started
            }
        }
        try {
            return body.get();
        } finally {
            synchronized (this) {
                runner = null;
                if (cancelled) {
                    Thread.interrupted(); // the interruption was for this run only
                }
            }
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }
}
