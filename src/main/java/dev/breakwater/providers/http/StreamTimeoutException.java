package dev.breakwater.providers.http;

import java.net.http.HttpTimeoutException;

/** A streamed answer went silent: no first event, or too long a gap between two events. Classified as a timeout. */
public class StreamTimeoutException extends HttpTimeoutException {

    public StreamTimeoutException(String message) {
        super(message);
    }
}
