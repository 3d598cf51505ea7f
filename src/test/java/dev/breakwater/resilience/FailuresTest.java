package dev.breakwater.resilience;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailuresTest {

    @Test
    void connectionProblemsAreTransientWhereverTheyAreWrapped() {
        assertEquals(FailureKind.TRANSIENT, Failures.classify(new UncheckedIOException(new IOException("Connection reset"))).kind());
        assertEquals(FailureKind.TRANSIENT, Failures.classify(new RuntimeException(new RuntimeException(new java.net.ConnectException()))).kind());
    }

    @Test
    void timeoutsOfEveryOriginAreTimeouts() {
        assertEquals(FailureKind.TIMEOUT, Failures.classify(new TimeoutException()).kind());
        assertEquals(FailureKind.TIMEOUT, Failures.classify(new RuntimeException(new HttpTimeoutException("read"))).kind());
        assertEquals(FailureKind.TIMEOUT, Failures.classify(new IllegalStateException(new InterruptedException())).kind());
    }

    @Test
    void classifiedFailuresKeepTheirMeaning() {
        Failure policy = Failure.of(FailureKind.CONTENT_POLICY, "refused");
        assertEquals(policy, Failures.classify(new RuntimeException(new ClassifiedException(policy))));
        assertEquals(FailureKind.OPEN_CIRCUIT, Failures.classify(new CircuitBreakerOpenException("x")).kind());
        assertEquals(FailureKind.DEADLINE, Failures.classify(new DeadlineExceededException()).kind());
    }

    @Test
    void anythingElseIsAnErrorThatIsNotRetried() {
        Failure f = Failures.classify(new IllegalArgumentException("bug"));
        assertEquals(FailureKind.ERROR, f.kind());
        assertEquals(false, f.kind().retryable());
    }
}
