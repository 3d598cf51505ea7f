package dev.breakwater.providers.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.tracing.TracingPolicy;

import java.time.Duration;

/**
 * The connections to every upstream, shared by all models: plain {@code http://} upstreams (self-hosted
 * servers) over an HTTP/1.1 keep-alive pool, {@code https://} ones over a pool that offers HTTP/2 in the
 * TLS handshake (ALPN) and keeps HTTP/1.1 with a server that does not take it. Over HTTP/2 one connection
 * carries up to 100 calls (fewer if the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} says so), so
 * thousands of calls in flight need tens of connections and handshakes, not thousands; and
 * an abandoned call is a stream reset, which leaves its connection to the others. Plain upstreams are not
 * offered HTTP/2: that would take an {@code Upgrade: h2c} on every first request, which some servers and
 * proxies in front of self-hosted models refuse.
 */
public final class UpstreamPool {

    /** Calls per HTTP/2 connection at most (a server may allow fewer): sizes the pool and caps each connection. */
    private static final int STREAMS_PER_CONNECTION = 100;

    private final HttpClient plain;
    private final HttpClient tls;

    private UpstreamPool(HttpClient plain, HttpClient tls) {
        this.plain = plain;
        this.tls = tls;
    }

    /**
     * @param maxConnectionsPerHost calls in flight per host: HTTP/1.1 connections, and HTTP/2 streams over
     *                              as many connections as that takes at {@value #STREAMS_PER_CONNECTION} each
     * @param http2                 false keeps HTTPS upstreams on HTTP/1.1 too
     */
    public record Settings(int maxConnectionsPerHost, Duration connectTimeout, Duration keepAlive, boolean http2) {
    }

    public static UpstreamPool create(Vertx vertx, Settings settings) {
        return create(vertx, settings, null);
    }

    /** @param trust whom TLS upstreams may present certificates from; null trusts the JDK's CAs */
    static UpstreamPool create(Vertx vertx, Settings settings, TrustOptions trust) {
        int calls = settings.maxConnectionsPerHost();
        HttpClient plain = vertx.createHttpClient(options(settings, "breakwater-upstream"), new PoolOptions().setHttp1MaxSize(calls));
        HttpClientOptions tlsOptions = options(settings, "breakwater-upstream-tls");
        if (trust != null) {
            tlsOptions.setTrustOptions(trust);
        }
        PoolOptions tlsPool = new PoolOptions().setHttp1MaxSize(calls); // also for servers that answer ALPN with http/1.1
        if (settings.http2()) {
            // The limit keeps maxConnectionsPerHost a bound on calls in flight when a server allows more streams.
            tlsOptions.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
                    .setHttp2MultiplexingLimit(STREAMS_PER_CONNECTION)
                    .setHttp2KeepAliveTimeout((int) settings.keepAlive().toSeconds());
            tlsPool.setHttp2MaxSize(Math.max(1, Math.ceilDiv(calls, STREAMS_PER_CONNECTION)));
        }
        return new UpstreamPool(plain, vertx.createHttpClient(tlsOptions, tlsPool));
    }

    /** One Vert.x client for every upstream: what the transport's own tests and tools use. */
    public static UpstreamPool of(HttpClient client) {
        return new UpstreamPool(client, client);
    }

    private static HttpClientOptions options(Settings settings, String name) {
        return new HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) settings.keepAlive().toSeconds())
                .setTcpNoDelay(true)
                .setName(name)
                // With tracing on, each upstream call is an HTTP client span inside its attempt's
                // span and carries its W3C traceparent: upstreams join the caller's trace.
                .setTracingPolicy(TracingPolicy.PROPAGATE);
    }

    HttpClient client(boolean ssl) {
        return ssl ? tls : plain;
    }

    public Future<Void> close() {
        return plain == tls ? plain.close() : Future.join(plain.close(), tls.close()).mapEmpty();
    }
}
