package dev.breakwater.providers.http;

/**
 * What a streamed (SSE) answer tells its reader, event by event, then exactly once how it ended:
 * {@link #onClose()} when the body ended (or the reader asked to stop), {@link #onError} when it
 * failed or went silent.
 */
public interface SseListener {

    /**
     * One event: its {@code event:} name (null when absent) and its {@code data:} lines joined by newlines.
     *
     * @return false to stop reading: the rest of the body is not needed (the upstream request is reset)
     */
    boolean onEvent(String name, String data);

    void onError(Throwable error);

    void onClose();
}
