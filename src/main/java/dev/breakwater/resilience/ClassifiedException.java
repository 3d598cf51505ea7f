package dev.breakwater.resilience;

/**
 * A failure whose meaning is already known at the point it was raised (a provider adapter that read
 * the status code and error body, or the quality check). Stack traces are skipped: these are
 * expected outcomes on the hot path, not bugs.
 */
public class ClassifiedException extends RuntimeException {

    private final Failure failure;

    public ClassifiedException(Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public ClassifiedException(Failure failure, Throwable cause) {
        super(failure.message(), cause, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
