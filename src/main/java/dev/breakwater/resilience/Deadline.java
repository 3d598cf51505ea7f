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
        if (endNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    public boolean expired() {
        return endNanos != Long.MAX_VALUE && System.nanoTime() >= endNanos;
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

    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }
}
