package dev.breakwater.providers.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpClientInternal;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.tracing.TracingPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections to every upstream, shared by all models: plain {@code http://} upstreams (self-hosted
 * servers) over an HTTP/1.1 keep-alive pool, {@code https://} ones over a pool that offers HTTP/2 in the
 * TLS handshake (ALPN) and keeps HTTP/1.1 with a server that does not take it. Over HTTP/2 one connection
 * carries up to 100 calls (fewer if the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} says so), so
 * thousands of calls in flight need tens of connections and handshakes, not thousands; and
 * an abandoned call is a stream reset, which leaves its connection to the others. Plain upstreams are not
 * offered HTTP/2: that would take an {@code Upgrade: h2c} on every first request, which some servers and
 * proxies in front of self-hosted models refuse.
 * <p>
 * The pool is split into one share per event loop, and a call takes the share of the event loop its
 * request came in on while that share has room. Vert.x opens a connection on the event loop of the call
 * that needed it but lends it to any call; a request whose upstream connection lives on another event
 * loop than its own pays for waking that loop on every write and read (the concurrency-1 profile in
 * docs/BENCHMARKS.md). A call whose share is full takes room in the emptiest other, so
 * {@code maxConnectionsPerHost} still bounds the whole pool and one busy event loop is never held to its share.
 * Such a call, and one from outside any event loop, has its request made on the share's own loop
 * ({@link Share#contextFor}), so each share's connections, and the events of every call on them, stay on one loop.
 */
public final class UpstreamPool {

    /** Calls per HTTP/2 connection at most (a server may allow fewer): sizes the pool and caps each connection. */
    private static final int STREAMS_PER_CONNECTION = 100;

    private final List<Share> shares;
    private final Map<EventLoop, Share> byLoop;

    private UpstreamPool(List<Share> shares, Map<EventLoop, Share> byLoop) {
        this.shares = List.copyOf(shares);
        this.byLoop = byLoop;
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
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor loop : ((VertxInternal) vertx).getEventLoopGroup()) {
            loops.add((EventLoop) loop);
        }
        int calls = settings.maxConnectionsPerHost();
        int parts = Math.min(loops.size(), calls);
        List<Share> shares = new ArrayList<>();
        Map<EventLoop, Share> byLoop = new IdentityHashMap<>();
        for (int i = 0; i < parts; i++) {
            int size = calls / parts + (i < calls % parts ? 1 : 0);
            Share share = new Share(vertx.createHttpClient(options(settings, "breakwater-upstream"), new PoolOptions().setHttp1MaxSize(size)),
                    tls(vertx, settings, trust, size), size, home(vertx, loops.get(i)));
            shares.add(share);
            byLoop.put(loops.get(i), share);
        }
        return new UpstreamPool(shares, byLoop);
    }

    private static HttpClient tls(Vertx vertx, Settings settings, TrustOptions trust, int calls) {
        HttpClientOptions tlsOptions = options(settings, "breakwater-upstream-tls");
        if (trust != null) {
            tlsOptions.setTrustOptions(trust);
        }
        PoolOptions tlsPool = new PoolOptions().setHttp1MaxSize(calls); // also for servers that answer ALPN with http/1.1
        if (settings.http2()) {
            // The limit keeps the share's size a bound on its calls in flight when a server allows more streams.
            int streams = Math.min(STREAMS_PER_CONNECTION, calls);
            tlsOptions.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
                    .setHttp2MultiplexingLimit(streams)
                    .setHttp2KeepAliveTimeout((int) settings.keepAlive().toSeconds());
            tlsPool.setHttp2MaxSize(Math.ceilDiv(calls, streams));
        }
        return vertx.createHttpClient(tlsOptions, tlsPool);
    }

    /** One Vert.x client for every upstream, its calls sent from one event loop: what the transport's own tests and tools use. */
    public static UpstreamPool of(HttpClient client) {
        VertxInternal vertx = ((HttpClientInternal) client).vertx();
        return new UpstreamPool(List.of(new Share(client, client, Integer.MAX_VALUE, home(vertx, vertx.getEventLoopGroup().next()))), Map.of());
    }

    private static ContextInternal home(Vertx vertx, EventExecutor loop) {
        return ((VertxInternal) vertx).createEventLoopContext((EventLoop) loop, null, Thread.currentThread().getContextClassLoader());
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

    /**
     * The share a new call uses, counted in until {@link Share#release}: its own event loop's while that
     * has room, else the one with the most room. Calls from outside any event loop's context (tools,
     * tests) start from the first share, so that they too find the connections they opened before.
     */
    Share take() {
        ContextInternal context = ContextInternal.current();
        Share own = context == null ? shares.getFirst() : byLoop.get(context.nettyEventLoop());
        Share chosen = own != null && own.room() > 0 ? own : roomiest();
        chosen.inFlight.incrementAndGet();
        return chosen;
    }

    private Share roomiest() {
        Share best = shares.getFirst();
        for (Share share : shares) {
            if (share.room() > best.room()) {
                best = share;
            }
        }
        return best;
    }

    /** Calls holding a connection (or stream) now, over every share. */
    int inFlight() {
        return shares.stream().mapToInt(share -> share.inFlight.get()).sum();
    }

    public Future<Void> close() {
        List<Future<Void>> closed = new ArrayList<>();
        for (Share share : shares) {
            closed.add(share.plain.close());
            if (share.tls != share.plain) {
                closed.add(share.tls.close());
            }
        }
        return Future.join(closed).mapEmpty();
    }

    /** One event loop's part of the pool: its clients, how many calls they may carry, how many they carry. */
    static final class Share {
        private final HttpClient plain;
        private final HttpClient tls;
        private final int size;
        private final ContextInternal home;
        private final AtomicInteger inFlight = new AtomicInteger();

        private Share(HttpClient plain, HttpClient tls, int size, ContextInternal home) {
            this.plain = plain;
            this.tls = tls;
            this.size = size;
            this.home = home;
        }

        HttpClient client(boolean ssl) {
            return ssl ? tls : plain;
        }

        /**
         * The context a call's request must be made on: the caller's own when it runs on this share's
         * event loop, else a fresh one there carrying the caller's context data (the trace it belongs to).
         * So every connection of the share lives on its event loop, and the events of each call on it
         * arrive on that same loop: which is what lets a call decide, on that loop, whether its answer has
         * ended before resetting it (see {@link UpstreamHttpClient}).
         */
        ContextInternal contextFor(ContextInternal caller) {
            if (caller != null && caller.nettyEventLoop() == home.nettyEventLoop()) {
                return caller;
            }
            ContextInternal on = home.duplicate();
            if (caller != null) {
                on.localContextData().putAll(caller.localContextData());
            }
            return on;
        }

        private int room() {
            return size - inFlight.get();
        }

        /** The call has ended (answered, failed or reset): its connection is back in the pool. */
        void release() {
            inFlight.decrementAndGet();
        }
    }
}
