package dev.breakwater.resilience;

/** The request's budget ran out before or during this attempt. Not the upstream's fault. */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException() {
        super("request deadline exceeded", null, false, false);
    }
}
