package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.telemetry.RequestOutcome;
import dev.breakwater.telemetry.RequestTrace;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code POST /v1/embeddings}, OpenAI's format in and out. An upstream's answer goes back byte for
 * byte; the headers say what happened, as for chat ({@code x-breakwater-model},
 * {@code x-breakwater-attempts}, {@code x-breakwater-degraded}).
 */
@Path("/v1/embeddings")
public class EmbeddingsResource {

    private final EmbeddingService service;
    private final ObjectMapper mapper;
    private final ExecutorService virtualThreads;

    public EmbeddingsResource(EmbeddingService service, ObjectMapper mapper, @VirtualThreads ExecutorService virtualThreads) {
        this.service = service;
        this.mapper = mapper;
        this.virtualThreads = virtualThreads;
    }

    /**
     * Non-blocking for the same reason as {@link OpenAiResource#complete}: the body is parsed on the
     * event loop. Any content type is read as JSON, so {@code curl -d '{...}'} (which says
     * {@code application/x-www-form-urlencoded}) works as it does against OpenAI-style quick starts;
     * a body that is not JSON is a 400.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> embed(byte[] body, RoutingContext routing) throws IOException {
        RequestTrace trace = RequestTrace.of(routing);
        JsonNode json = body.length == 0 ? null : mapper.readTree(body);
        return Uni.createFrom().item(() -> answer(json, trace)).runSubscriptionOn(virtualThreads);
    }

    private Response answer(JsonNode body, RequestTrace trace) {
        String model = EmbeddingRequests.model(body);
        trace.asked(model);
        EmbeddingService.Outcome outcome = service.embed(model, EmbeddingRequests.fallbacks(body), EmbeddingRequests.toRequest(body));
        FallbackResult<EmbeddingReply> result = outcome.result();
        trace.answered(RequestOutcome.of(outcome.chain(), result,
                result.success() ? Map.of(result.answeredBy().name(), result.response().usage()) : Map.of()));
        if (!result.success()) {
            return ChainFailures.toResponse(outcome.chain().name(), result);
        }
        return Response.ok(result.response().body(), MediaType.APPLICATION_JSON)
                .header(OpenAiResource.MODEL_HEADER, result.answeredBy().name())
                .header(OpenAiResource.ATTEMPTS_HEADER, result.upstreamCalls())
                .header(OpenAiResource.DEGRADED_HEADER, result.answeredByFallback(outcome.chain()))
                .build();
    }
}
