package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.Optional;

/** Steps shared by the shared-state tests. */
final class Steps {

    private Steps() {
    }

    /** A call that fails as a 503 does: it counts against the breaker. */
    static String fail() {
        throw new ClassifiedException(new Failure(FailureKind.TRANSIENT, 503, "down", Optional.empty()));
    }
}
