package dev.breakwater.openai;

import dev.breakwater.api.Problem;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.providers.ModelReply;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import dev.breakwater.keys.KeyCall;

import java.time.Clock;
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
    private final Clock clock;
    private final ExecutorService virtualThreads;

    public OpenAiResource(ChatCompletionService service, Clock clock, @VirtualThreads ExecutorService virtualThreads) {
        this.service = service;
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
    public Uni<Response> complete(ChatCompletionRequest request, @Context SecurityContext caller) {
        KeyCall call = KeyCall.from(caller.getUserPrincipal());
        return Uni.createFrom().item(() -> answer(request, call)).runSubscriptionOn(virtualThreads);
    }

    private Response answer(ChatCompletionRequest request, KeyCall call) {
        ChatOutcome outcome = service.complete(request, call);
        FallbackResult<ModelReply> result = outcome.result();
        if (!result.success()) {
            Problem problem = ChainFailures.toProblem(outcome).toProblem();
            Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem)
                    .header(ATTEMPTS_HEADER, outcome.upstreamCalls())
                    .header(DEGRADED_HEADER, true);
            result.failure().retryAfter().ifPresent(d -> response.header("Retry-After", Math.max(1, d.toSeconds())));
            return response.build();
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
        return Response.ok(OpenAiWire.modelList(service.modelIds(), clock.instant().getEpochSecond()), MediaType.APPLICATION_JSON)
                .build();
    }
}
