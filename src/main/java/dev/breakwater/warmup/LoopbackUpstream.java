package dev.breakwater.warmup;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The warm-up's model: an OpenAI-compatible chat server on a loopback port of this process, answering
 * every completion at once, so the warm-up spends its time in the gateway's code and never on a
 * provider's bill.
 */
final class LoopbackUpstream implements AutoCloseable {

    private static final Buffer COMPLETION = Buffer.buffer("{\"id\":\"chatcmpl-warm-up\",\"created\":1764547200,"
            + "\"model\":\"breakwater-warm-up\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Business travel\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");

    private final HttpServer server;

    private LoopbackUpstream(HttpServer server) {
        this.server = server;
    }

    /** Listens on an ephemeral loopback port; blocks the calling (virtual) thread until it does. */
    static LoopbackUpstream start(Vertx vertx) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(LoopbackUpstream::answer);
        return new LoopbackUpstream(server.listen().toCompletionStage().toCompletableFuture().join());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    private static void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json").end(COMPLETION));
    }

    @Override
    public void close() {
        server.close();
    }
}
