package dev.breakwater.openai;

import dev.breakwater.chain.EmbeddingRouter;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.telemetry.RequestOutcome;
import dev.breakwater.telemetry.RequestTrace;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The OpenAI-compatible API. Headers say what happened: {@code x-breakwater-model} (who answered),
 * {@code x-breakwater-attempts} (upstream calls made, retries included) and
 * {@code x-breakwater-degraded} (answered by a fallback). A streamed answer is sent only after it has
 * been read whole and validated, so a failure always arrives as a plain problem document, before
 * any event.
 */
@Path("/v1")
public class OpenAiResource {

    static final String MODEL_HEADER = "x-breakwater-model";
    static final String ATTEMPTS_HEADER = "x-breakwater-attempts";
    static final String DEGRADED_HEADER = "x-breakwater-degraded";

    private final ChatCompletionService service;
    private final EmbeddingRouter embeddings;
    private final Clock clock;
    private final ExecutorService virtualThreads;

    public OpenAiResource(ChatCompletionService service, EmbeddingRouter embeddings, Clock clock,
                          @VirtualThreads ExecutorService virtualThreads) {
        this.service = service;
        this.embeddings = embeddings;
        this.clock = clock;
        this.virtualThreads = virtualThreads;
    }

    /**
     * Non-blocking on purpose: the body is then read and parsed on the event loop, and only the
     * chain (which blocks on upstream calls) moves to a virtual thread. With a blocking method the
     * virtual thread would read the body itself through a blocking stream fed by the event loop, a
     * hand-off per chunk that cost ~15 % of the CPU of a proxied call.
     */
    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> complete(ChatCompletionRequest request, RoutingContext routing) {
        RequestTrace trace = RequestTrace.of(routing);
        return Uni.createFrom().item(() -> answer(request, trace)).runSubscriptionOn(virtualThreads);
    }

    private Response answer(ChatCompletionRequest request, RequestTrace trace) {
        trace.asked(request == null ? null : request.model());
        ChatOutcome outcome = service.complete(request);
        FallbackResult<ModelReply> result = outcome.result();
        trace.answered(RequestOutcome.of(outcome.chain(), result,
                result.success() ? Map.of(result.answeredBy().name(), result.response().usage()) : Map.of()));
        if (!result.success()) {
            return ChainFailures.toResponse(outcome.chain().name(), result);
        }
        String model = result.answeredBy().name();
        OpenAiWire wire = new OpenAiWire(clock.instant().getEpochSecond(), model, result.response());
        Response.ResponseBuilder response = request.streaming()
                ? Response.ok(wire.events(request.includeUsage()), "text/event-stream").header("Cache-Control", "no-cache")
                : Response.ok(wire.completion(), MediaType.APPLICATION_JSON);
        return response.header(MODEL_HEADER, model)
                .header(ATTEMPTS_HEADER, outcome.upstreamCalls())
                .header(DEGRADED_HEADER, outcome.degraded())
                .build();
    }

    @GET
    @Path("/models")
    public Response models() {
        List<String> ids = new ArrayList<>(service.modelIds());
        embeddings.modelIds().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return Response.ok(OpenAiWire.modelList(ids, clock.instant().getEpochSecond()), MediaType.APPLICATION_JSON)
                .build();
    }
}
