package dev.breakwater.resilience;

import java.time.Duration;

/**
 * The end of a request's time budget. Requests run on their own (virtual) thread, so the deadline
 * travels as a thread-local: the retry back-off and the attempt guard read it without every
 * signature carrying it.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long endNanos;
    private volatile boolean cancelled;
    private Thread runner;

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
    }

    public boolean cancelled() {
        return cancelled;
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
