package dev.breakwater.providers.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
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
                    if (request.path().endsWith("/stream")) {
                        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                        for (int i = 0; i < 3; i++) {
                            request.response().write("data: {\"n\":" + i + "}\n\n");
                        }
                        vertx.setTimer(100, t -> request.response().end("data: [DONE]\n\n"));
                        return;
                    }
                    request.body().onSuccess(body -> vertx.setTimer(200, t -> request.response()
                            .putHeader("Content-Type", "application/json").end("{\"echo\":" + body + "}")));
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
        });
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
        UpstreamPool pool = UpstreamPool.create(vertx, settings(http2), certificate);
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

    private static UpstreamPool.Settings settings(boolean http2) {
        return new UpstreamPool.Settings(64, Duration.ofSeconds(5), Duration.ofSeconds(60), http2);
    }
}
