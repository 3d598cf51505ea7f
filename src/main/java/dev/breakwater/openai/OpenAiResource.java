package dev.breakwater.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.OpenAiError;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.EmbeddingRouter;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.secrets.Secrets;
import dev.breakwater.telemetry.RequestTrace;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI-compatible API. Answers are the upstream's own, with {@code model} set to the gateway
 * name of the model that answered; headers say what happened: {@code x-breakwater-model} (who
 * answered), {@code x-breakwater-deployment} (which of its deployments, for a model served by several),
 * {@code x-breakwater-upstream-model} (the id that model reported),
 * {@code x-breakwater-attempts} (upstream calls made, retries included) and
 * {@code x-breakwater-degraded} (answered by a fallback). A streamed answer is sent only after it has
 * been read whole and validated, so a failure always arrives as a plain problem document, before
 * any event.
 */
@Path("/v1")
public class OpenAiResource {

    static final String MODEL_HEADER = "x-breakwater-model";
    static final String DEPLOYMENT_HEADER = "x-breakwater-deployment";
    static final String UPSTREAM_MODEL_HEADER = "x-breakwater-upstream-model";
    static final String ATTEMPTS_HEADER = "x-breakwater-attempts";
    static final String DEGRADED_HEADER = "x-breakwater-degraded";
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChatCompletionService service;
    private final EmbeddingRouter embeddings;
    private final Clock clock;
    private final ObjectMapper json;

    public OpenAiResource(ChatCompletionService service, EmbeddingRouter embeddings, Clock clock, ObjectMapper json) {
        this.service = service;
        this.embeddings = embeddings;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Non-blocking on purpose: the body is read, parsed and checked, and the caller's key admitted, on the
     * event loop, and a whole answer is fetched from there too (see {@link ChatCompletionService#complete}).
     * With a blocking method a virtual thread would read the body itself through a blocking stream fed by
     * the event loop, a hand-off per chunk that cost ~15 % of the CPU of a proxied call.
     * <p>
     * When the caller hangs up, Quarkus cancels the returned Uni; the request's deadline is then
     * cancelled, which ends the try in flight (its upstream request is reset) and starts no other.
     */
    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> complete(byte[] body, @Context SecurityContext caller, RoutingContext routing) {
        RequestTrace trace = RequestTrace.of(routing);
        ChatRequest request = service.parse(body);
        trace.asked(request.model());
        ChatCompletionService.ChatCall call = service.prepare(request, KeyCall.from(caller.getUserPrincipal()));
        return service.complete(call).map(outcome -> answer(call, outcome, trace))
                .onCancellation().invoke(() -> call.deadline().cancel());
    }

    private Response answer(ChatCompletionService.ChatCall call, ChainOutcome<ChatAnswer> outcome, RequestTrace trace) {
        trace.answered(outcome.traced(ChatAnswer::usage));
        FallbackResult<ChatAnswer> result = outcome.result();
        if (!result.success()) {
            return ChainFailures.toResponse(outcome);
        }
        String model = result.answeredBy().name();
        ChatAnswer answer = result.response();
        Response.ResponseBuilder response = answer.isStream()
                ? Response.ok(events(answer, model, call.request().usageHidden()), "text/event-stream").header("Cache-Control", "no-cache")
                : Response.ok(answer.bytes() != null ? answer.bytes().renamed(model) : bytes(named(answer.completion(), model)),
                        MediaType.APPLICATION_JSON);
        return answered(response, outcome).build();
    }

    /** The headers of an answer: who answered (model, deployment, the upstream's id) and how many calls it took. */
    static Response.ResponseBuilder answered(Response.ResponseBuilder response, ChainOutcome<ChatAnswer> outcome) {
        FallbackResult<ChatAnswer> result = outcome.result();
        if (result.answeredBy().deployment() != null) {
            response.header(DEPLOYMENT_HEADER, result.answeredBy().deployment());
        }
        return response.header(MODEL_HEADER, result.answeredBy().name())
                .header(UPSTREAM_MODEL_HEADER, result.response().model())
                .header(ATTEMPTS_HEADER, outcome.upstreamCalls())
                .header(DEGRADED_HEADER, outcome.degraded());
    }

    /**
     * The upstream's events in order, each as it came but for {@code model}, always closed by
     * {@code [DONE]}; without the usage the gateway asked for on its own account ({@code usageHidden}).
     */
    private byte[] events(ChatAnswer answer, String model, boolean usageHidden) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        for (ObjectNode chunk : answer.chunks()) {
            if (usageHidden) {
                if (chunk.path("choices").isEmpty() && chunk.has("usage")) {
                    continue;
                }
                chunk.remove("usage");
            }
            out.writeBytes(DATA);
            out.writeBytes(bytes(named(chunk, model)));
            out.writeBytes(END_OF_EVENT);
        }
        out.writeBytes(DONE);
        return out.toByteArray();
    }

    private static ObjectNode named(ObjectNode root, String model) {
        if (root.has("model")) {
            root.put("model", model);
        }
        return root;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    @GET
    @Path("/models")
    public Response models() {
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        modelIds().forEach(id -> data.add(card(id)));
        return Response.ok(bytes(root), MediaType.APPLICATION_JSON).build();
    }

    /** What a caller may name: the chat chains and models, then the embeddings ones. */
    private List<String> modelIds() {
        List<String> ids = new ArrayList<>(service.modelIds());
        embeddings.modelIds().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return ids;
    }

    /**
     * One model. Ids may hold slashes ({@code openai/gpt-4o}), hence the greedy path. A listed id
     * (chat or embeddings), or one a route would forward, is known (the upstream is not asked: listing is free and a GET
     * must not create a routed model's breaker); anything else is a 404 pointing at the list.
     */
    @GET
    @Path("/models/{id: .+}")
    public Response model(@PathParam("id") String id) {
        if (id.length() > GatewayFields.MAX_MODEL_NAME || Secrets.hasControlCharacter(id)
                || !service.knows(id) && !embeddings.modelIds().contains(id)) {
            String detail = "The model '" + (id.length() > 64 || Secrets.hasControlCharacter(id) ? "(unprintable)" : id)
                    + "' does not exist here; GET /v1/models lists the models and chains you can use: "
                    + String.join(", ", modelIds());
            throw new ProblemException(404, "Unknown model", detail)
                    .error(new OpenAiError(detail, "invalid_request_error", "model", "model_not_found"));
        }
        return Response.ok(bytes(card(id)), MediaType.APPLICATION_JSON).build();
    }

    private ObjectNode card(String id) {
        return json.createObjectNode().put("id", id).put("object", "model")
                .put("created", clock.instant().getEpochSecond()).put("owned_by", "breakwater");
    }
}
