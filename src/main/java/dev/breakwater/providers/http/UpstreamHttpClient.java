package dev.breakwater.providers.http;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * LangChain4j transport on the Vert.x HTTP client, shared by every provider adapter. Why not the
 * client LangChain4j brings: connections come from one keep-alive pool driven by the event loops the
 * gateway already runs (no selector thread and executor hand-offs per call, which cost more CPU than
 * the rest of a proxied call); failed responses keep their headers ({@link UpstreamHttpException});
 * and a blocked call is interruptible, so the resilience layer's timeout frees the caller's virtual
 * thread and resets the upstream request. Streams also get first-token and idle timeouts.
 * Calls block, so they must come from a virtual or worker thread, never from an event loop.
 */
public final class UpstreamHttpClient implements HttpClient {

    /** Parsing an absolute URL costs more than the rest of building a request; a client calls one or two. */
    private static final int MAX_REMEMBERED_URLS = 16;

    private final io.vertx.core.http.HttpClient vertx;
    private final Duration readTimeout;
    private final StreamTimeouts streamTimeouts;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** @param streamTimeouts limits on silent streams; null leaves streams bounded by the attempt timeout alone */
    public UpstreamHttpClient(io.vertx.core.http.HttpClient vertx, Duration readTimeout, StreamTimeouts streamTimeouts) {
        this.vertx = vertx;
        this.readTimeout = readTimeout;
        this.streamTimeouts = streamTimeouts;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Exchange<Whole> exchange = new Exchange<>();
        Whole response = exchange.await(send(request, exchange, r -> r.body().map(body ->
                new Whole(r.statusCode(), headers(r.headers()), body.toString(StandardCharsets.UTF_8)))));
        if (response.status() / 100 != 2) {
            throw new UpstreamHttpException(response.status(), response.body(), response.headers());
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.status())
                .headers(response.headers())
                .body(response.body())
                .build();
    }

    /**
     * POSTs a JSON body as it is and returns the 2xx answer's bytes untouched: the raw pass-through
     * path, with no LangChain4j objects in between. Blocks like {@link #execute(HttpRequest)}, on the
     * same pool, and an interrupt (the attempt's timeout) resets the request. A non-2xx answer throws
     * {@link UpstreamHttpException} with its body and headers.
     *
     * @param timeout longest silence on the connection (null: this client's read timeout)
     */
    public JsonResponse postJson(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
        RequestOptions options = target(url.toString()).options().setMethod(HttpMethod.POST)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json");
        headers.forEach(options::putHeader);
        Exchange<JsonResponse> exchange = new Exchange<>();
        JsonResponse response = exchange.await(send(options, timeout != null ? timeout : readTimeout, Buffer.buffer(body),
                exchange, r -> r.body().map(b -> new JsonResponse(r.statusCode(), headers(r.headers()), b.getBytes()))));
        if (response.status() / 100 != 2) {
            throw new UpstreamHttpException(response.status(), new String(response.body(), StandardCharsets.UTF_8),
                    response.headers());
        }
        return response;
    }

    /** A whole upstream answer, body as received. */
    public record JsonResponse(int status, Map<String, List<String>> headers, byte[] body) {
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
        Exchange<Opened> exchange = new Exchange<>();
        Opened response;
        try {
            response = exchange.await(send(request, exchange, r -> {
                if (r.statusCode() / 100 != 2) {
                    return r.body().map(body -> new Opened(r.statusCode(), headers(r.headers()), null,
                            body.toString(StandardCharsets.UTF_8)));
                }
                FedInputStream body = new FedInputStream(exchange::reset);
                r.handler(body::push).endHandler(end -> body.end()).exceptionHandler(body::fail);
                return Future.succeededFuture(new Opened(r.statusCode(), headers(r.headers()), body, null));
            }));
        } catch (RuntimeException e) {
            once.onError(e);
            return;
        }
        if (response.body() == null) {
            once.onError(new UpstreamHttpException(response.status(), response.errorBody(), response.headers()));
            return;
        }
        try (InputStream body = response.body()) {
            once.onOpen(SuccessfulHttpResponse.builder().statusCode(response.status()).headers(response.headers()).build());
            if (streamTimeouts == null) {
                parser.parse(body, once);
                once.onClose();
            } else {
                readWatched(body, parser, once);
            }
        } catch (IOException | RuntimeException e) {
            once.onError(e);
        }
    }

    /**
     * The parser blocks on the body on its own virtual thread while this one watches the time since
     * the last event. On silence, or when this thread is interrupted (the attempt's timeout), the
     * reader is interrupted, which unblocks its read.
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

    private <T> CompletableFuture<T> send(HttpRequest request, Exchange<T> exchange,
                                          Function<HttpClientResponse, Future<T>> read) {
        RequestOptions options = target(request.url()).options()
                .setMethod(HttpMethod.valueOf(request.method().name()));
        request.headers().forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
        return send(options, readTimeout, request.body() == null ? null : Buffer.buffer(request.body()), exchange, read);
    }

    private <T> CompletableFuture<T> send(RequestOptions options, Duration idleTimeout, Buffer body, Exchange<T> exchange,
                                          Function<HttpClientResponse, Future<T>> read) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("upstream calls block: make them from a virtual or worker thread");
        }
        if (idleTimeout != null) {
            options.setIdleTimeout(idleTimeout.toMillis());
        }
        return vertx.request(options)
                .compose(sent -> {
                    // Failures reach the caller through the returned future; without a handler Vert.x
                    // would also log every reset (each timed-out call) at ERROR.
                    sent.exceptionHandler(ignored -> { });
                    exchange.started(sent);
                    return (body == null ? sent.send() : sent.send(body)).compose(read);
                })
                .toCompletionStage().toCompletableFuture();
    }

    private Target target(String url) {
        Target known = targets.get(url);
        if (known != null) {
            return known;
        }
        Target parsed = Target.parse(url);
        if (targets.size() < MAX_REMEMBERED_URLS) {
            targets.put(url, parsed);
        }
        return parsed;
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String name : headers.names()) {
            map.put(name, headers.getAll(name));
        }
        return map;
    }

    private record Target(String host, int port, boolean ssl, String uri) {
        static Target parse(String url) {
            URI parsed = URI.create(url);
            boolean ssl = "https".equalsIgnoreCase(parsed.getScheme());
            int port = parsed.getPort() > 0 ? parsed.getPort() : ssl ? 443 : 80;
            String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
            return new Target(parsed.getHost(), port, ssl, parsed.getRawQuery() == null ? path : path + "?" + parsed.getRawQuery());
        }

        RequestOptions options() {
            return new RequestOptions().setHost(host).setPort(port).setSsl(ssl).setURI(uri);
        }
    }

    private record Whole(int status, Map<String, List<String>> headers, String body) {
    }

    /** An answer whose headers have arrived: a 2xx with its body still streaming, or an error with its whole body. */
    private record Opened(int status, Map<String, List<String>> headers, FedInputStream body, String errorBody) {
    }

    /** One upstream request, cancellable from the blocked caller: an interrupted wait resets it. */
    private static final class Exchange<T> {
        private HttpClientRequest request;
        private boolean cancelled;

        synchronized void started(HttpClientRequest sent) {
            request = sent;
            if (cancelled) {
                sent.reset();
            }
        }

        synchronized void reset() {
            cancelled = true;
            if (request != null) {
                request.reset();
            }
        }

        T await(CompletableFuture<T> result) {
            try {
                return result.get();
            } catch (InterruptedException e) {
                reset();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("upstream call interrupted", e);
            } catch (ExecutionException e) {
                throw UpstreamFailures.unchecked(e.getCause());
            }
        }
    }
}
