package dev.breakwater.providers.http;

import dev.breakwater.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool against real loopback servers: an HTTPS one that speaks HTTP/2 and HTTP/1.1 (ALPN), with a
 * certificate made for the test, and a plain one.
 */
class UpstreamPoolTest {

    private static final String PASSWORD = "breakwater-test";
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static PfxOptions certificate;
    private static final AtomicInteger connections = new AtomicInteger();
    private static final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
    private static final List<String> upgrades = new CopyOnWriteArrayList<>();
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger mostInFlight = new AtomicInteger();
    private static int tlsPort;
    private static int plainPort;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("upstream.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        certificate = new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD);
        vertx = Vertx.vertx();
        tlsPort = listen(new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate));
        plainPort = listen(new HttpServerOptions());
    }

    /** Answers every POST after 200 ms (so concurrent calls overlap), recording its protocol. */
    private static int listen(HttpServerOptions options) throws Exception {
        HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0))
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> {
                    versions.add(request.version());
                    if (request.getHeader("upgrade") != null) {
                        upgrades.add(request.getHeader("upgrade"));
                    }
                    if (request.path().endsWith("/missing")) {
                        request.response().setStatusCode(404).end("{\"error\":\"no such path\"}");
                        return;
                    }
                    if (request.path().endsWith("/stream")) {
                        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                        for (int i = 0; i < 3; i++) {
                            request.response().write("data: {\"n\":" + i + "}\n\n");
                        }
                        vertx.setTimer(100, t -> request.response().end("data: [DONE]\n\n"));
                        return;
                    }
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    request.body().onSuccess(body -> vertx.setTimer(200, t -> {
                        inFlight.decrementAndGet();
                        request.response().putHeader("Content-Type", "application/json").end("{\"echo\":" + body + "}");
                    }));
                });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void httpsUpstreamsGetHttp2AndManyCallsShareOneConnection() throws Exception {
        withPool(true, pool -> {
            List<HttpVersion> seen = calls(pool, "https://127.0.0.1:" + tlsPort + "/v1/chat/completions", 20);
            assertEquals(List.of(HttpVersion.HTTP_2), seen.stream().distinct().toList());
            assertEquals(1, connections.get(), "20 concurrent calls multiplexed on one connection");
        });
    }

    /** Over HTTP/2 an abandoned answer is a stream reset: the connection stays, for this call's successors too. */
    @Test
    void streamsWholeOrAbandonedLeaveTheHttp2ConnectionToTheNextCalls() throws Exception {
        withPool(true, pool -> {
            calls(pool, "https://127.0.0.1:" + tlsPort + "/v1/chat/completions", 1);
            UpstreamHttpClient client = new UpstreamHttpClient(pool, Duration.ofSeconds(10), null);
            for (boolean readToTheEnd : List.of(true, false, true)) {
                List<String> events = new CopyOnWriteArrayList<>();
                client.stream("https://127.0.0.1:" + tlsPort + "/v1/stream", JSON, Buffer.buffer("{}"), new SseListener() {
                    @Override
                    public boolean onEvent(String name, String data) {
                        events.add(data);
                        return readToTheEnd ? !data.equals("[DONE]") : events.size() < 2;
                    }

                    @Override
                    public boolean complete() {
                        return readToTheEnd;
                    }

                    @Override
                    public void onError(Throwable error) {
                        throw new AssertionError(error);
                    }

                    @Override
                    public void onClose() {
                    }
                });
                assertEquals(readToTheEnd ? 4 : 2, events.size(), events.toString());
            }
            assertEquals(List.of(HttpVersion.HTTP_2), versions.stream().distinct().toList());
            assertEquals(1, connections.get(), "one connection for every call, the abandoned one included");
            UpstreamHttpException refused = assertThrows(UpstreamHttpException.class, () -> client.post(
                    "https://127.0.0.1:" + tlsPort + "/missing", JSON, Buffer.buffer("{}")));
            assertEquals(404, refused.statusCode());
            assertThrows(RuntimeException.class, () -> client.post("http://127.0.0.1:" + closedPort() + "/v1", JSON, Buffer.buffer("{}")));
            // Counted back in on the event loop just after the caller has its answer.
            Poll.await(() -> pool.inFlight() == 0, 5_000, "every call, whole, abandoned, refused or never connected, gave its place back");
        });
    }

    /**
     * Vert.x lends any idle connection to any call; here a call takes its own event loop's share, so B's
     * calls open connections on B's loop instead of waking A's on every read and write.
     */
    @Test
    void callsOnAnotherEventLoopOpenConnectionsOfTheirOwnInsteadOfBorrowingThoseOfTheFirst() throws Exception {
        ContextInternal a = ((VertxInternal) vertx).createEventLoopContext();
        ContextInternal b = ((VertxInternal) vertx).createEventLoopContext();
        assertNotSame(a.nettyEventLoop(), b.nettyEventLoop(), "two contexts on two event loops");
        withPool(settings(2 * eventLoops(), false), pool -> {
            String url = "http://127.0.0.1:" + plainPort + "/v1/chat/completions";
            connections.set(0);
            callsOn(a, pool, url, 2);
            assertEquals(2, connections.get(), "A's two calls at once, on two connections");
            callsOn(b, pool, url, 2);
            assertEquals(4, connections.get(), "B's calls on two connections of B's loop, A's left idle");
        });
    }

    /** A busy event loop is not held to its share, and the whole pool still bounds the calls in flight. */
    @Test
    void aBusyEventLoopBorrowsTheOtherSharesAndThePoolStaysBounded() throws Exception {
        int max = 2 * eventLoops();
        ContextInternal a = ((VertxInternal) vertx).createEventLoopContext();
        withPool(settings(max, false), pool -> {
            mostInFlight.set(0);
            callsOn(a, pool, "http://127.0.0.1:" + plainPort + "/v1/chat/completions", max + 3);
            assertEquals(max, mostInFlight.get(), "every share used at once, and never more than the pool's size");
        });
    }

    /**
     * A call's request is made on its share's event loop, so the share's connections live there and a
     * call's answer ends on the loop that lends its connection again (what makes a late reset safe, see
     * UpstreamHttpClientTest). A caller from another loop, or from none, hands over its context data (the
     * trace the call belongs to); a caller on the share's own loop keeps its context.
     */
    @Test
    void aCallsRequestIsMadeOnItsSharesEventLoopWithTheCallersContextData() throws Exception {
        UpstreamPool pool = UpstreamPool.of(vertx.createHttpClient());
        try {
            UpstreamPool.Share share = pool.take();
            ContextInternal home = share.contextFor(null);
            ContextInternal own = ((VertxInternal) vertx).createEventLoopContext(home.nettyEventLoop(), null, null).duplicate();
            assertSame(own, share.contextFor(own), "a caller on the share's loop keeps its own context");

            ContextInternal other;
            do {
                other = ((VertxInternal) vertx).createEventLoopContext().duplicate();
            } while (other.nettyEventLoop() == home.nettyEventLoop());
            other.localContextData().put("trace", "the caller's");
            ContextInternal made = share.contextFor(other);
            assertSame(home.nettyEventLoop(), made.nettyEventLoop(), "made on the share's loop, not the caller's");
            assertEquals("the caller's", made.localContextData().get("trace"));
            made.localContextData().put("written there", true);
            assertEquals(null, other.localContextData().get("written there"), "the caller's own data is not shared");
            share.release();
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void withHttp2OffHttpsUpstreamsStayOnHttp11() throws Exception {
        withPool(false, pool -> {
            List<HttpVersion> seen = calls(pool, "https://127.0.0.1:" + tlsPort + "/v1/chat/completions", 5);
            assertEquals(List.of(HttpVersion.HTTP_1_1), seen.stream().distinct().toList());
        });
    }

    @Test
    void plainUpstreamsGetHttp11WithoutAnUpgradeOffer() throws Exception {
        withPool(true, pool -> {
            List<HttpVersion> seen = calls(pool, "http://127.0.0.1:" + plainPort + "/v1/chat/completions", 3);
            assertEquals(List.of(HttpVersion.HTTP_1_1), seen.stream().distinct().toList());
            assertEquals(List.of(), upgrades, "no Upgrade: h2c on a plain upstream");
        });
    }

    private interface PoolUse {
        void accept(UpstreamPool pool) throws Exception;
    }

    private static void withPool(boolean http2, PoolUse use) throws Exception {
        withPool(settings(http2), use);
    }

    private static void withPool(UpstreamPool.Settings settings, PoolUse use) throws Exception {
        UpstreamPool pool = UpstreamPool.create(vertx, settings, certificate);
        try {
            use.accept(pool);
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** {@code n} concurrent POSTs through the transport; each must come back with the body it sent. */
    private static List<HttpVersion> calls(UpstreamPool pool, String url, int n) throws Exception {
        connections.set(0);
        versions.clear();
        upgrades.clear();
        UpstreamHttpClient client = new UpstreamHttpClient(pool, Duration.ofSeconds(10), null);
        List<Future<UpstreamHttpClient.RawResponse>> answers = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String body = "{\"call\":" + i + "}";
                answers.add(threads.submit(() -> client.post(url, JSON, Buffer.buffer(body))));
            }
            for (int i = 0; i < n; i++) {
                UpstreamHttpClient.RawResponse answer = answers.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.status());
                assertEquals("{\"echo\":{\"call\":" + i + "}}", answer.body().toString());
            }
        }
        return List.copyOf(versions);
    }

    /** {@code n} concurrent POSTs made on {@code context} (as a request's virtual thread makes them), each answered whole. */
    private static void callsOn(ContextInternal context, UpstreamPool pool, String url, int n) throws Exception {
        UpstreamHttpClient client = new UpstreamHttpClient(pool, Duration.ofSeconds(10), null);
        List<io.vertx.core.Future<UpstreamHttpClient.RawResponse>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(context.executeBlocking(() -> client.post(url, JSON, Buffer.buffer("{}")), false));
        }
        for (io.vertx.core.Future<UpstreamHttpClient.RawResponse> answer : answers) {
            assertEquals(200, answer.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).status());
        }
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int eventLoops() {
        int loops = 0;
        for (var ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops++;
        }
        return loops;
    }

    /** Room for every test's calls in the first share (the one calls from outside an event loop start from). */
    private static UpstreamPool.Settings settings(boolean http2) {
        return settings(100 * eventLoops(), http2);
    }

    private static UpstreamPool.Settings settings(int maxConnectionsPerHost, boolean http2) {
        return new UpstreamPool.Settings(maxConnectionsPerHost, Duration.ofSeconds(5), Duration.ofSeconds(60), http2);
    }
}
