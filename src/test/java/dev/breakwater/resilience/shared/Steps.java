package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Steps shared by the shared-state tests. */
final class Steps {

    private Steps() {
    }

    /** A call that fails as a 503 does: it counts against the breaker. */
    static String fail() {
        throw new ClassifiedException(new Failure(FailureKind.TRANSIENT, 503, "down", Optional.empty()));
    }

    /** Polls {@code condition} every 10 ms; returns the milliseconds it took. */
    static long await(BooleanSupplier condition, long maxMillis, String what) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if ((System.nanoTime() - start) / 1_000_000 > maxMillis) {
                throw new AssertionError(what + ": not within " + maxMillis + " ms");
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
