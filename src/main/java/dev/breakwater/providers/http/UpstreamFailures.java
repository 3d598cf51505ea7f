package dev.breakwater.providers.http;

import io.vertx.core.VertxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x reports a closed connection as a {@link VertxException} and a silent one as a
 * {@link TimeoutException}; the resilience layer knows network trouble as {@link IOException}
 * (retryable) and {@link HttpTimeoutException} (a silent model). Translated here, once.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static IOException asIo(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof TimeoutException) {
            HttpTimeoutException timeout = new HttpTimeoutException("upstream silent for longer than the read timeout");
            timeout.initCause(failure);
            return timeout;
        }
        return new IOException("upstream connection failed: " + failure.getMessage(), failure);
    }

    static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime && !(failure instanceof VertxException)) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new UncheckedIOException(asIo(failure));
    }
}
