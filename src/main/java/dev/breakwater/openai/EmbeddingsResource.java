package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.telemetry.RequestTrace;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.IOException;
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
     * Non-blocking for the same reason as {@link OpenAiResource#complete}: the body is parsed and
     * checked and the caller's key admitted on the event loop, and only the chain moves to a virtual thread; a caller that hangs up
     * cancels the request's deadline, as for chat. Any content type is read as JSON, so
     * {@code curl -d '{...}'} (which says {@code application/x-www-form-urlencoded}) works as it does
     * against OpenAI-style quick starts; a body that is not JSON is a 400.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> embed(byte[] body, @Context SecurityContext caller, RoutingContext routing) throws IOException {
        RequestTrace trace = RequestTrace.of(routing);
        JsonNode json = body.length == 0 ? null : mapper.readTree(body);
        String model = EmbeddingRequests.model(json);
        trace.asked(model);
        EmbeddingService.EmbeddingCall call = service.prepare(model, json, KeyCall.from(caller.getUserPrincipal()));
        return service.admit(call).emitOn(virtualThreads).map(admitted -> answer(call, trace))
                .onCancellation().invoke(() -> call.deadline().cancel());
    }

    private Response answer(EmbeddingService.EmbeddingCall call, RequestTrace trace) {
        ChainOutcome<EmbeddingReply> outcome = service.embed(call);
        trace.answered(outcome.traced(EmbeddingReply::usage));
        FallbackResult<EmbeddingReply> result = outcome.result();
        if (!result.success()) {
            return ChainFailures.toResponse(outcome);
        }
        return Response.ok(result.response().body(), MediaType.APPLICATION_JSON)
                .header(OpenAiResource.MODEL_HEADER, result.answeredBy().name())
                .header(OpenAiResource.ATTEMPTS_HEADER, outcome.upstreamCalls())
                .header(OpenAiResource.DEGRADED_HEADER, outcome.degraded())
                .build();
    }
}
