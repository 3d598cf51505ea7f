package dev.breakwater.testing;

import java.util.function.BooleanSupplier;

/** The tests' one way to wait for something that happens on another thread or in another process. */
public final class Poll {

    private Poll() {
    }

    /** Polls {@code condition} every 10 ms until it holds; the milliseconds it took, or an AssertionError naming {@code what}. */
    public static long await(BooleanSupplier condition, long maxMillis, String what) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > maxMillis * 1_000_000) {
                throw new AssertionError(what + ": not within " + maxMillis + " ms");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted");
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
