package dev.breakwater.resilience;

/** The request's budget ran out before this attempt could start. Not the upstream's fault. */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException() {
        super("request deadline exceeded", null, false, false);
    }
}
