package dev.breakwater.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.InvalidJson;
import dev.breakwater.api.ProblemException;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.telemetry.RequestTrace;
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

/**
 * {@code POST /v1/messages}: Anthropic's Messages API served by the same chains as the OpenAI API, so a
 * Claude client gets fail-over too (to Claude on Bedrock, or translated to any other model). The
 * request is translated to OpenAI's shape ({@link MessagesTranslator}), walked like a chat completion,
 * and the answer translated back; a streamed request gets Anthropic's events, written once the answer
 * is complete (like every stream the gateway relays). Headers are the chat API's.
 */
@Path("/v1")
public class MessagesResource {

    private final ChatCompletionService service;
    private final ObjectMapper json;
    private final MessagesTranslator translator;

    public MessagesResource(ChatCompletionService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
        this.translator = new MessagesTranslator(json);
    }

    /** Checked, keyed and traced like {@code POST /v1/chat/completions}: the key must allow every model named. */
    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> messages(byte[] body, @Context SecurityContext caller, RoutingContext routing) {
        RequestTrace trace = RequestTrace.of(routing);
        JsonNode request = parse(body);
        boolean stream = request.path("stream").asBoolean(false);
        ChatRequest chat = service.parse(bytes(translator.toOpenAi(request)));
        trace.asked(chat.model());
        ChatCompletionService.ChatCall call = service.prepare(chat, KeyCall.from(caller.getUserPrincipal()));
        return service.complete(call).map(outcome -> answer(call, outcome, stream, trace))
                .onCancellation().invoke(() -> call.deadline().cancel());
    }

    private Response answer(ChatCompletionService.ChatCall call, ChainOutcome<ChatAnswer> outcome, boolean stream,
                            RequestTrace trace) {
        trace.answered(outcome.traced(ChatAnswer::usage));
        if (!outcome.result().success()) {
            return ChainFailures.toResponse(outcome);
        }
        ObjectNode message = translator.toMessage(outcome.result().response().completion(), outcome.result().answeredBy().name());
        Response.ResponseBuilder response = stream
                ? Response.ok(translator.toEvents(message), "text/event-stream").header("Cache-Control", "no-cache")
                : Response.ok(bytes(message), MediaType.APPLICATION_JSON);
        return OpenAiResource.answered(response, outcome).build();
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("request body is missing: send {\"model\": \"...\", \"max_tokens\": N, \"messages\": [...]}");
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw InvalidJson.problem(e);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }
}
