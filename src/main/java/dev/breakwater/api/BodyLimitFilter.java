package dev.breakwater.api;

import dev.breakwater.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Refuses oversized bodies before they are read, with a problem document saying the limit. (Bodies
 * without Content-Length are capped by quarkus.http.limits.max-body-size.)
 */
public class BodyLimitFilter {

    private final GatewayConfig config;

    public BodyLimitFilter(GatewayConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        long limit = path.startsWith("/v1/chat/") || path.equals("/v1/embeddings")
                ? config.openai().maxBodyBytes() : config.categorize().maxBodyBytes();
        try {
            if (Long.parseLong(length.trim()) > limit) {
                return Optional.of(ProblemMappers.respond(new ProblemException(413, "Request body too large",
                        "request body is " + length.trim() + " bytes; the limit is " + limit + " bytes")
                        .with("limit", limit).toProblem()));
            }
        } catch (NumberFormatException ignored) {
            // Vert.x rejects a malformed Content-Length itself.
        }
        return Optional.empty();
    }
}
