package dev.breakwater.providers.http;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;

import java.time.Duration;

/** Hands LangChain4j models the gateway's one shared connection pool instead of a client per model. */
public final class UpstreamHttpClientBuilder implements HttpClientBuilder {

    private final UpstreamPool pool;
    private final StreamTimeouts streamTimeouts;
    private Duration connectTimeout;
    private Duration readTimeout;

    public UpstreamHttpClientBuilder(UpstreamPool pool, StreamTimeouts streamTimeouts) {
        this.pool = pool;
        this.streamTimeouts = streamTimeouts;
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        this.readTimeout = timeout;
        return this;
    }

    @Override
    public HttpClient build() {
        return new UpstreamHttpClient(pool, readTimeout, streamTimeouts);
    }
}
