package dev.breakwater.providers.http;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body pushed by the event loop and read by a blocking SSE parser on a virtual thread.
 * Reads block interruptibly, so a watchdog can stop a reader stuck on a silent stream. Closing it
 * before the end runs {@code abandon}, which resets the upstream request instead of draining it, unless
 * the reader {@link #release released} it: a whole answer whose last bytes are still on their way.
 */
final class FedInputStream extends InputStream {

    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final Runnable abandon;
    private byte[] current = new byte[0];
    private int position;
    private volatile boolean ended;
    private volatile boolean released;

    FedInputStream(Runnable abandon) {
        this.abandon = abandon;
    }

    void push(Buffer chunk) {
        if (chunk.length() > 0) {
            chunks.add(chunk.getBytes());
        }
    }

    void end() {
        chunks.add(END);
    }

    void fail(Throwable failure) {
        chunks.add(failure);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == current.length && !nextChunk()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, into, offset, n);
        position += n;
        return n;
    }

    private boolean nextChunk() throws IOException {
        if (ended) {
            return false;
        }
        Object next;
        try {
            next = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stream read interrupted");
        }
        if (next == END) {
            ended = true;
            return false;
        }
        if (next instanceof Throwable failure) {
            ended = true;
            throw UpstreamFailures.asIo(failure);
        }
        current = (byte[]) next;
        position = 0;
        return true;
    }

    /**
     * The reader needs no more and the answer is whole: closing it then lets the rest (the end of the
     * body) arrive, so the connection returns to the pool instead of being closed by a reset.
     */
    void release() {
        released = true;
    }

    @Override
    public void close() {
        if (!ended && !released) {
            ended = true;
            abandon.run();
        }
    }
}
