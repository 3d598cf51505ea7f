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
     * @return false to stop reading: the rest of the body is not needed (see {@link #complete})
     */
    boolean onEvent(String name, String data);

    /**
     * Asked once {@link #onEvent} has returned false. True when the answer is whole: what is left of the
     * body is only its end (e.g. {@code [DONE]}), which is let arrive so the connection goes back to the
     * pool. False (the default) when the rest is abandoned: the upstream request is reset, which closes
     * its connection.
     */
    default boolean complete() {
        return false;
    }

    void onError(Throwable error);

    void onClose();
}
