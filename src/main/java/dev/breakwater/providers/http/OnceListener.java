package dev.breakwater.providers.http;

/**
 * Passes callbacks on until the first terminal one ({@code onError} or {@code onClose}) and drops
 * everything after it. Two threads may end a stream at once (the reader hitting end of stream, the
 * watchdog declaring it silent); the listener must hear exactly one of them. It also records when
 * the last event arrived, which the watchdog reads.
 */
final class OnceListener implements SseListener {

    private final SseListener delegate;
    private boolean finished;
    private volatile long events;
    private volatile long lastEventNanos = System.nanoTime();

    OnceListener(SseListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized boolean onEvent(String name, String data) {
        if (finished) {
            return false;
        }
        events++;
        lastEventNanos = System.nanoTime();
        return delegate.onEvent(name, data);
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

    @Override
    public synchronized boolean complete() {
        return delegate.complete();
    }

    void opened() {
        lastEventNanos = System.nanoTime();
    }

    long events() {
        return events;
    }

    long lastEventNanos() {
        return lastEventNanos;
    }
}
