package dev.breakwater.providers.http;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.breakwater.resilience.TryStages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;

import java.io.IOException;
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
 * The upstream transport on the Vert.x HTTP client, shared by every provider adapter: raw JSON and
 * SSE calls for the chat pass-through ({@link #post}, {@link #stream}), and LangChain4j's
 * {@link HttpClient} for the models LangChain4j drives (categorization). Why not the
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

    private final UpstreamPool pool;
    private final Duration readTimeout;
    private final StreamTimeouts streamTimeouts;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** @param streamTimeouts limits on silent streams; null leaves streams bounded by the attempt timeout alone */
    public UpstreamHttpClient(UpstreamPool pool, Duration readTimeout, StreamTimeouts streamTimeouts) {
        this.pool = pool;
        this.readTimeout = readTimeout;
        this.streamTimeouts = streamTimeouts;
    }

    /** Every upstream over one Vert.x client, as configured by the caller. */
    public UpstreamHttpClient(io.vertx.core.http.HttpClient vertx, Duration readTimeout, StreamTimeouts streamTimeouts) {
        this(UpstreamPool.of(vertx), readTimeout, streamTimeouts);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Buffer body = request.body() == null ? null : Buffer.buffer(request.body());
        RawResponse response = exchange(HttpMethod.valueOf(request.method().name()), request.url(), request.headers(), body);
        return SuccessfulHttpResponse.builder()
                .statusCode(response.status())
                .headers(response.headers())
                .body(response.body().toString(StandardCharsets.UTF_8))
                .build();
    }

    /** Streams are read through {@link #stream}, which hands the gateway the events as they came. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("the gateway reads upstream streams through UpstreamHttpClient.stream");
    }

    /** POSTs {@code body} and returns the whole 2xx answer as it came; any other status is an {@link UpstreamHttpException}. */
    public RawResponse post(String url, Map<String, List<String>> headers, Buffer body) {
        return exchange(HttpMethod.POST, url, headers, body);
    }

    /**
     * {@link #post} without blocking: sent from the calling thread (an event loop may call it), answered
     * later. Ending the returned stage from outside (see {@link TryStages}) resets the request unless
     * its answer is already in.
     */
    public CompletableFuture<RawResponse> postAsync(String url, Map<String, List<String>> headers, Buffer body) {
        Exchange<RawResponse> exchange = new Exchange<>();
        CompletableFuture<RawResponse> sent = send(HttpMethod.POST, url, headers, body, exchange, r -> r.body().map(answer -> {
            exchange.answered();
            return new RawResponse(r.statusCode(), headers(r.headers()), answer);
        }));
        sent.whenComplete((response, failure) -> {
            if (failure != null) {
                exchange.reset();
            }
        });
        return TryStages.then(sent, (response, failure) -> {
            if (failure != null) {
                throw UpstreamFailures.unchecked(failure);
            }
            if (response.status() / 100 != 2) {
                throw new UpstreamHttpException(response.status(), response.body().toString(StandardCharsets.UTF_8),
                        response.headers());
            }
            return response;
        });
    }

    private RawResponse exchange(HttpMethod method, String url, Map<String, List<String>> headers, Buffer body) {
        refuseEventLoop();
        Exchange<RawResponse> exchange = new Exchange<>();
        RawResponse response = exchange.await(send(method, url, headers, body, exchange, r -> r.body().map(answer -> {
            exchange.answered();
            return new RawResponse(r.statusCode(), headers(r.headers()), answer);
        })));
        if (response.status() / 100 != 2) {
            throw new UpstreamHttpException(response.status(), response.body().toString(StandardCharsets.UTF_8), response.headers());
        }
        return response;
    }

    /**
     * POSTs {@code body} and reads the answer as server-sent events, blocking until the stream has
     * ended, failed or gone silent, so the caller holds the whole answer (or the reason there is
     * none) when this returns. The listener hears exactly one terminal callback; a non-2xx answer is
     * an {@link UpstreamHttpException} there. With {@link StreamTimeouts}, a stream that sends no
     * first event, or pauses between events, for longer than allowed ends with a
     * {@link StreamTimeoutException}.
     */
    public void stream(String url, Map<String, List<String>> headers, Buffer requestBody, SseListener listener) {
        refuseEventLoop();
        OnceListener once = new OnceListener(listener);
        Exchange<Opened> exchange = new Exchange<>();
        Opened response;
        try {
            response = exchange.await(send(HttpMethod.POST, url, headers, requestBody, exchange, r -> {
                if (r.statusCode() / 100 != 2) {
                    return r.body().map(body -> {
                        exchange.answered();
                        return new Opened(r.statusCode(), headers(r.headers()), null, body.toString(StandardCharsets.UTF_8));
                    });
                }
                FedInputStream body = new FedInputStream(exchange::reset);
                r.handler(body::push).endHandler(end -> {
                    exchange.answered();
                    body.end();
                }).exceptionHandler(body::fail);
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
        try (FedInputStream body = response.body()) {
            once.opened();
            if (streamTimeouts == null) {
                read(body, once);
            } else {
                readWatched(body, once);
            }
        } catch (IOException | RuntimeException e) {
            once.onError(e);
        }
    }

    /**
     * The parser blocks on the body on its own virtual thread while this one watches the time since
     * the last event. On silence, or when this thread is interrupted (the attempt's timeout, the
     * caller gone), the reader is interrupted, which unblocks its read.
     */
    private void readWatched(FedInputStream body, OnceListener listener) {
        Thread reader = Thread.ofVirtual().name("upstream-sse-reader").start(() -> {
            try {
                read(body, listener);
            } catch (IOException | RuntimeException e) {
                listener.onError(e); // a read error: the stream was cut
            }
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

    /** Parses to the end, or until the listener stops: then the body is kept for the pool only if the answer is whole. */
    private static void read(FedInputStream body, OnceListener listener) throws IOException {
        SseParser.parse(body, listener);
        if (listener.complete()) {
            body.release();
        }
        listener.onClose();
    }

    private long untilSilent(OnceListener listener) {
        Duration allowed = listener.events() == 0 ? streamTimeouts.firstToken() : streamTimeouts.idle();
        return listener.lastEventNanos() + allowed.toNanos() - System.nanoTime();
    }

    private <T> CompletableFuture<T> send(HttpMethod method, String url, Map<String, List<String>> headers, Buffer body,
                                          Exchange<T> exchange, Function<HttpClientResponse, Future<T>> read) {
        Target target = target(url);
        RequestOptions options = target.options().setMethod(method);
        if (readTimeout != null) {
            options.setIdleTimeout(readTimeout.toMillis());
        }
        headers.forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
        UpstreamPool.Share share = pool.take();
        ContextInternal caller = ContextInternal.current();
        ContextInternal on = share.contextFor(caller);
        exchange.madeOn(on);
        if (on == caller) {
            return request(share, target, options, body, exchange, read).toCompletionStage().toCompletableFuture();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        on.runOnContext(ignored -> request(share, target, options, body, exchange, read).onComplete(done -> {
            if (done.succeeded()) {
                answer.complete(done.result());
            } else {
                answer.completeExceptionally(done.cause());
            }
        }));
        return answer;
    }

    private static <T> Future<T> request(UpstreamPool.Share share, Target target, RequestOptions options, Buffer body,
                                         Exchange<T> exchange, Function<HttpClientResponse, Future<T>> read) {
        return share.client(target.ssl()).request(options)
                .onFailure(notSent -> share.release())
                .compose(sent -> {
                    // Failures reach the caller through the returned future; without a handler Vert.x
                    // would also log every reset (each timed-out call) at ERROR.
                    sent.exceptionHandler(ignored -> { });
                    // Ended, failed or reset, the call no longer holds its connection (or stream).
                    sent.response().compose(HttpClientResponse::end).onComplete(ended -> share.release());
                    exchange.started(sent);
                    return (body == null ? sent.send() : sent.send(body)).compose(read);
                });
    }

    private static void refuseEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("upstream calls block: make them from a virtual or worker thread");
        }
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

    /** A whole 2xx answer, its body as received. */
    public record RawResponse(int status, Map<String, List<String>> headers, Buffer body) {
    }

    /** An answer whose headers have arrived: a 2xx with its body still streaming, or an error with its whole body. */
    private record Opened(int status, Map<String, List<String>> headers, FedInputStream body, String errorBody) {
    }

    /**
     * One upstream request, cancellable from the blocked caller: an interrupted wait resets it, unless its
     * answer is already in. Vert.x closes the connection of a request reset after its answer has ended,
     * and by then the pool may have lent that connection to another call, which would fail with
     * "Connection was closed" (eclipse-vertx/vert.x#6294). So the answer's end is recorded, and the reset
     * decided, on the event loop the request was made on, which {@link UpstreamPool.Share#contextFor} makes
     * its connection's: Vert.x ends the answer there in the same task that lends the connection again.
     */
    private static final class Exchange<T> {
        private HttpClientRequest request;
        private ContextInternal context;
        private boolean cancelled;
        private boolean answered;

        synchronized void madeOn(ContextInternal on) {
            context = on;
        }

        synchronized void started(HttpClientRequest sent) {
            request = sent;
            if (cancelled) {
                sent.reset();
            }
        }

        void reset() {
            HttpClientRequest sent;
            ContextInternal on;
            synchronized (this) {
                cancelled = true;
                sent = request;
                on = context;
            }
            if (sent == null) {
                return; // started() resets it
            }
            if (on.nettyEventLoop().inEventLoop()) {
                resetUnlessAnswered(sent);
            } else {
                on.runOnContext(ignored -> resetUnlessAnswered(sent));
            }
        }

        private void resetUnlessAnswered(HttpClientRequest sent) {
            if (!answered) {
                sent.reset();
            }
        }

        /** The whole answer has arrived (on the request's event loop). */
        void answered() {
            answered = true;
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
