package dev.breakwater.resilience;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/** Maps any throwable coming out of a guarded call to a {@link Failure}. */
public final class Failures {

    private Failures() {
    }

    public static Failure classify(Throwable t) {
        if (Deadline.current().cancelled()) {
            // Whatever the interruption looked like inside the call, it was the caller leaving.
            return Failure.of(FailureKind.CANCELLED, "the caller disconnected");
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClassifiedException classified) {
                return classified.failure();
            }
            if (c instanceof CircuitBreakerOpenException) {
                return Failure.of(FailureKind.OPEN_CIRCUIT, "circuit breaker open");
            }
            if (c instanceof TimeoutException || c instanceof HttpTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException || c instanceof InterruptedException) {
                return Failure.of(FailureKind.TIMEOUT, "no answer within the timeout");
            }
            if (c instanceof DeadlineExceededException) {
                return Failure.of(FailureKind.DEADLINE, "request deadline exceeded");
            }
            if (c instanceof IOException io) {
                return Failure.of(FailureKind.TRANSIENT, "connection failed: " + io.getClass().getSimpleName());
            }
        }
        return Failure.of(FailureKind.ERROR, "unexpected error: " + t.getClass().getSimpleName());
    }
}
