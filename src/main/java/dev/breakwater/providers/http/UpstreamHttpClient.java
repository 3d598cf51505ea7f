package dev.breakwater.providers.http;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * LangChain4j transport on the JDK HTTP client, shared by every provider adapter. It exists for two
 * reasons: failed responses keep their headers ({@link UpstreamHttpException}), and a blocked call is
 * interruptible, so the resilience layer's timeout really frees the caller's (virtual) thread. Streams
 * also get first-token and idle timeouts, which the JDK client does not have.
 */
public final class UpstreamHttpClient implements HttpClient {

    private final java.net.http.HttpClient jdk;
    private final Duration readTimeout;
    private final StreamTimeouts streamTimeouts;

    /** @param streamTimeouts limits on silent streams; null leaves streams bounded by the attempt timeout alone */
    public UpstreamHttpClient(java.net.http.HttpClient jdk, Duration readTimeout, StreamTimeouts streamTimeouts) {
        this.jdk = jdk;
        this.readTimeout = readTimeout;
        this.streamTimeouts = streamTimeouts;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new UpstreamHttpException(response.statusCode(), response.body(), response.headers().map());
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers().map())
                .body(response.body())
                .build();
    }

    /**
     * Blocks until the stream has ended, failed or gone silent, so the caller holds the whole answer
     * (or the reason there is none) when this returns. The listener hears exactly one terminal
     * callback. With {@link StreamTimeouts}, a stream that sends no first event, or pauses between
     * events, for longer than allowed ends with a {@link StreamTimeoutException}.
     */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        OnceListener once = new OnceListener(listener);
        HttpResponse<InputStream> response;
        try {
            response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (RuntimeException e) {
            once.onError(e);
            return;
        }
        InputStream body = response.body();
        try {
            if (response.statusCode() / 100 != 2) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                once.onError(new UpstreamHttpException(response.statusCode(), text, response.headers().map()));
                return;
            }
            once.onOpen(SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .build());
            if (streamTimeouts == null) {
                parser.parse(body, once);
                once.onClose();
            } else {
                readWatched(body, parser, once);
            }
        } catch (IOException | RuntimeException e) {
            once.onError(e);
        } finally {
            closeQuietly(body);
        }
    }

    /**
     * The JDK's response stream has no read timeout, so the body is parsed on its own virtual thread
     * while this one watches the time since the last event. On silence, or when this thread is
     * interrupted (the attempt's timeout), the reader is interrupted, which unblocks its read.
     */
    private void readWatched(InputStream body, ServerSentEventParser parser, OnceListener listener) {
        Thread reader = Thread.ofVirtual().name("upstream-sse-reader").start(() -> {
            parser.parse(body, listener); // reports read errors (a cut stream) to the listener itself
            listener.onClose();
        });
        try {
            while (!reader.join(Duration.ofNanos(Math.max(1, untilSilent(listener))))) {
                if (untilSilent(listener) <= 0) {
                    listener.onError(new StreamTimeoutException(listener.events() == 0
                            ? "no first token within " + streamTimeouts.firstToken().toMillis() + " ms of the response headers"
                            : "stream silent for more than " + streamTimeouts.idle().toMillis() + " ms"));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.onError(e);
        } finally {
            if (reader.isAlive()) {
                reader.interrupt();
            }
        }
    }

    private long untilSilent(OnceListener listener) {
        Duration allowed = listener.events() == 0 ? streamTimeouts.firstToken() : streamTimeouts.idle();
        return listener.lastEventNanos() + allowed.toNanos() - System.nanoTime();
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the stream is abandoned either way
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        if (request.method() == HttpMethod.POST) {
            builder.POST(java.net.http.HttpRequest.BodyPublishers.ofString(request.body() == null ? "" : request.body()));
        } else if (request.method() == HttpMethod.DELETE) {
            builder.DELETE();
        } else {
            builder.GET();
        }
        try {
            return jdk.send(builder.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("upstream call interrupted", e);
        }
    }
}
