package dev.breakwater.providers.http;

import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;

/**
 * Passes callbacks on until the first terminal one ({@code onError} or {@code onClose}) and drops
 * everything after it. Two threads may end a stream at once (the reader hitting end of stream, the
 * watchdog declaring it silent); the listener must hear exactly one of them. It also records when
 * the last event arrived, which the watchdog reads.
 */
final class OnceListener implements ServerSentEventListener {

    private final ServerSentEventListener delegate;
    private boolean finished;
    private volatile long events;
    private volatile long lastEventNanos = System.nanoTime();

    OnceListener(ServerSentEventListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void onOpen(SuccessfulHttpResponse response) {
        if (!finished) {
            lastEventNanos = System.nanoTime();
            delegate.onOpen(response);
        }
    }

    @Override
    public synchronized void onEvent(ServerSentEvent event, ServerSentEventContext context) {
        if (!finished) {
            events++;
            lastEventNanos = System.nanoTime();
            delegate.onEvent(event, context);
        }
    }

    @Override
    public synchronized void onEvent(ServerSentEvent event) {
        if (!finished) {
            events++;
            lastEventNanos = System.nanoTime();
            delegate.onEvent(event);
        }
    }

    @Override
    public synchronized void onError(Throwable error) {
        if (!finished) {
            finished = true;
            delegate.onError(error);
        }
    }

    @Override
    public synchronized void onClose() {
        if (!finished) {
            finished = true;
            delegate.onClose();
        }
    }

    long events() {
        return events;
    }

    long lastEventNanos() {
        return lastEventNanos;
    }
}
