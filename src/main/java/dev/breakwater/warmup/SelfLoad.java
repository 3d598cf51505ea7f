package dev.breakwater.warmup;

import dev.breakwater.config.ConfigValidator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The warm-up's traffic: chat completions to the gateway's own port, {@code concurrency} loops each
 * sending its next request when the previous one is answered, until {@code requests} have been sent,
 * the deadline passes or the gateway stops. Runs on the event loop; nothing here blocks.
 */
final class SelfLoad implements AutoCloseable {

    /**
     * Plain chat completions only, the path callers use most: streamed and Anthropic requests share its
     * filters, chain, breaker and upstream client. A mix of all four kinds did not warm the first seconds
     * more, and plain chat plateaued lower after it in both runs (docs/BENCHMARKS.md, "Warm-up before ready").
     */
    private static final String PATH = "/v1/chat/completions";
    private static final Buffer CHAT = Buffer.buffer("{\"model\":\"" + ConfigValidator.WARM_UP_MODEL
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Flight to Berlin for the customer meeting\"}]}");

    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions target;
    private final WarmUpState state;
    private final int concurrency;
    private final long requests;
    private final long endNanos;
    private final BooleanSupplier stopping;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    SelfLoad(Vertx vertx, String host, int port, WarmUpState state, int concurrency, long requests, long endNanos,
             BooleanSupplier stopping) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(concurrency));
        this.target = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(PATH)
                .putHeader("Content-Type", "application/json").putHeader(WarmUpState.HEADER, state.secret());
        this.state = state;
        this.concurrency = concurrency;
        this.requests = requests;
        this.endNanos = endNanos;
        this.stopping = stopping;
    }

    /** Completes when every loop has stopped. */
    CompletableFuture<Void> run() {
        return CompletableFuture.allOf(IntStream.range(0, concurrency).mapToObj(i -> {
            CompletableFuture<Void> loop = new CompletableFuture<>();
            next(loop);
            return loop;
        }).toArray(CompletableFuture[]::new));
    }

    /** What went wrong with the first request that failed, or null. */
    String firstFailure() {
        return firstFailure.get();
    }

    private void next(CompletableFuture<Void> done) {
        if (stopping.getAsBoolean() || System.nanoTime() >= endNanos || sent.incrementAndGet() > requests) {
            done.complete(null);
            return;
        }
        client.request(new RequestOptions(target))
                .compose(request -> request.send(CHAT))
                .compose(response -> response.body().map(body -> response.statusCode() == 200 ? Optional.<String>empty()
                        : Optional.of("answered " + response.statusCode() + ": " + abbreviated(body.toString()))))
                .onComplete(answer -> {
                    boolean ok = answer.succeeded() && answer.result().isEmpty();
                    state.answered(ok);
                    if (ok) {
                        next(done);
                    } else {
                        firstFailure.compareAndSet(null, answer.succeeded() ? answer.result().get() : answer.cause().toString());
                        // A failure may complete at once: go on from a timer, so failures neither recurse nor spin.
                        vertx.setTimer(50, t -> next(done));
                    }
                });
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        client.close();
    }
}
