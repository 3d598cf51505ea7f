package dev.breakwater.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The HTTP layer's own refusals answered as problem+json, like every other error, and without stack
 * traces in the log. Vert.x's codec answers oversized request lines and headers with a bare status line
 * before any handler runs, so its limits are set above ours ({@code quarkus.http.limits} in
 * application.properties) and ours are enforced here, first thing on the router: a URL over
 * {@link #MAX_URI_LENGTH} is 414, headers over {@link #MAX_HEADER_BYTES} are 431. A body sent without
 * Content-Length (which {@link BodyLimitFilter} cannot see) is read here up to the endpoint's limit and
 * refused with 413 past it; RESTEasy then reads the buffered body.
 */
@Singleton
public class HttpLayerProblems {

    static final int MAX_URI_LENGTH = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Statuses the web layer itself fails a request with; anything else is left to Quarkus. */
    private static final Map<Integer, String> TITLES = Map.of(400, "Bad request", 413, "Request body too large",
            414, "URI too long", 431, "Request header fields too large");

    private final ObjectMapper json;
    private final GatewayConfig config;

    public HttpLayerProblems(ObjectMapper json, GatewayConfig config) {
        this.json = json;
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(-300).failureHandler(this::onFailure);
        router.route().order(-200).handler(this::checkHead);
        BodyHandler chat = BodyHandler.create(false).setBodyLimit(config.openai().maxBodyBytes());
        BodyHandler other = BodyHandler.create(false).setBodyLimit(config.categorize().maxBodyBytes());
        router.route().order(-100).handler(ctx -> {
            if (hasUnsizedBody(ctx.request())) {
                (ctx.request().path().startsWith("/v1/chat/") ? chat : other).handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void checkHead(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > MAX_URI_LENGTH) {
            respond(ctx, 414, "the request URI is " + request.uri().length() + " characters; the limit is " + MAX_URI_LENGTH,
                    MAX_URI_LENGTH);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            respond(ctx, 431, "the request headers take " + headerBytes + " bytes; the limit is " + MAX_HEADER_BYTES,
                    MAX_HEADER_BYTES);
            return;
        }
        ctx.next();
    }

    private static boolean hasUnsizedBody(HttpServerRequest request) {
        return request.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private void onFailure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (!TITLES.containsKey(status) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        long limit = ctx.request().path().startsWith("/v1/chat/") ? config.openai().maxBodyBytes() : config.categorize().maxBodyBytes();
        String detail = status == 413 ? "request body is over the limit of " + limit + " bytes" : "the request is malformed";
        respond(ctx, status, detail, status == 413 ? limit : null);
    }

    private void respond(RoutingContext ctx, int status, String detail, Number limit) {
        ProblemException problem = new ProblemException(status, TITLES.get(status), detail);
        if (limit != null) {
            problem.with("limit", limit);
        }
        // The rest of an oversized request is not read: the connection cannot be reused.
        end(ctx.response().putHeader(HttpHeaders.CONNECTION, "close"), json, problem);
    }

    /** Ends a response at the HTTP layer, before any resource, with {@code problem} as problem+json. */
    static void end(HttpServerResponse response, ObjectMapper json, ProblemException problem) {
        String body;
        try {
            body = json.writeValueAsString(problem.toProblem());
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
