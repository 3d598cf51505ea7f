package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
    private final ExecutorService virtualThreads;

    public EmbeddingsResource(EmbeddingService service, @VirtualThreads ExecutorService virtualThreads) {
        this.service = service;
        this.virtualThreads = virtualThreads;
    }

    /** Non-blocking for the same reason as {@link OpenAiResource#complete}: the body is parsed on the event loop. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> embed(JsonNode body, RoutingContext routing) {
        RequestTrace trace = RequestTrace.of(routing);
        return Uni.createFrom().item(() -> answer(body, trace)).runSubscriptionOn(virtualThreads);
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
