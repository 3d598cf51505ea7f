package dev.breakwater.providers.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.AnswerBytes;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.http.UpstreamHttpClient;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.TryStages;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Map.Entry;

/**
 * An OpenAI-compatible upstream as a pure pass-through: the caller's JSON goes out as it came, with
 * only {@code model} set to this endpoint's id, and the answer comes back as the upstream sent it.
 * Nothing is modelled in between, so a field the gateway has never heard of reaches the model and
 * its answer reaches the caller.
 */
public final class OpenAiChatUpstream implements ChatUpstream {

    private final UpstreamHttpClient http;
    private final ObjectMapper json;
    private final String url;
    private final String modelId;
    private final Map<String, List<String>> plainHeaders;
    private final Map<String, List<String>> streamHeaders;

    public OpenAiChatUpstream(UpstreamHttpClient http, ObjectMapper json, String baseUrl, String apiKey, String modelId) {
        this(http, json, baseUrl.replaceAll("/+$", "") + "/chat/completions", "Authorization", "Bearer " + apiKey, modelId);
    }

    /**
     * Any endpoint speaking OpenAI's Chat Completions at {@code url}, authenticated by one header
     * (Azure OpenAI: {@code api-key}, or {@code Authorization} with an Entra ID token).
     */
    public OpenAiChatUpstream(UpstreamHttpClient http, ObjectMapper json, String url, String authHeader, String authValue,
                              String modelId) {
        this.http = http;
        this.json = json;
        this.url = url;
        this.modelId = modelId;
        this.plainHeaders = headers(authHeader, authValue, "application/json");
        this.streamHeaders = headers(authHeader, authValue, "text/event-stream");
    }

    /**
     * An Azure OpenAI deployment: the deployment and API version are in the URL, the model field of
     * the body is ignored by Azure (it is sent as this endpoint's id all the same).
     */
    public static OpenAiChatUpstream azure(UpstreamHttpClient http, ObjectMapper json, String resourceUrl, String deployment,
                                           String apiVersion, String authHeader, String authValue, String modelId) {
        String url = resourceUrl.replaceAll("/+$", "") + "/openai/deployments/"
                + URLEncoder.encode(deployment, StandardCharsets.UTF_8) + "/chat/completions?api-version="
                + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
        return new OpenAiChatUpstream(http, json, url, authHeader, authValue, modelId);
    }

    private static Map<String, List<String>> headers(String authHeader, String authValue, String accept) {
        return Map.of(authHeader, List.of(authValue),
                "Content-Type", List.of("application/json"),
                "Accept", List.of(accept));
    }

    @Override
    public ChatAnswer call(ObjectNode request, boolean stream) throws Exception {
        Buffer body = body(request);
        try {
            return stream ? streamed(request, body) : whole(body);
        } catch (RuntimeException e) {
            throw ProviderErrors.translated(json, e);
        }
    }

    /** Sent from the calling thread (the caller's event loop), read where the answer arrives: no thread waits. */
    @Override
    public CompletableFuture<ChatAnswer> start(ObjectNode request) {
        Buffer body;
        try {
            body = body(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return TryStages.then(http.postAsync(url, plainHeaders, body), (response, failure) -> {
            if (failure != null) {
                throw failure instanceof RuntimeException e ? ProviderErrors.translated(json, e) : failure;
            }
            return answer(response);
        });
    }

    private ChatAnswer whole(Buffer body) {
        return answer(http.post(url, plainHeaders, body));
    }

    private ChatAnswer answer(UpstreamHttpClient.RawResponse response) {
        AnswerBytes.Read read;
        try {
            read = AnswerBytes.read(json, response.body().getBytes());
        } catch (IOException e) {
            throw badAnswer("the upstream's answer is not JSON");
        }
        JsonNode answer = read.tree();
        if (!(answer instanceof ObjectNode completion) || !answer.path("choices").isArray()) {
            throw badAnswer("the upstream's answer is not a chat completion (no choices)");
        }
        if (ChatStreamCheck.allFinishedBy(completion.path("choices"), "content_filter")) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "the provider's content filter stopped the answer"));
        }
        return ChatAnswer.whole(completion, read.bytes(), ChatStreamCheck.usage(completion.path("usage")),
                completion.path("model").asText(modelId));
    }

    private ChatAnswer streamed(ObjectNode request, Buffer body) throws Exception {
        ChatStreamCheck check = new ChatStreamCheck(json, request);
        http.stream(url, streamHeaders, body, check);
        return check.answer(modelId);
    }

    /** The caller's JSON with this endpoint's model id, written without copying or touching the shared tree. */
    private Buffer body(ObjectNode request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (!request.has("model")) {
                g.writeStringField("model", modelId);
            }
            for (Entry<String, JsonNode> field : request.properties()) {
                if (field.getKey().equals("model")) {
                    g.writeStringField("model", modelId);
                } else {
                    g.writeFieldName(field.getKey());
                    json.writeTree(g, field.getValue());
                }
            }
            g.writeEndObject();
        }
        return Buffer.buffer(out.toByteArray());
    }

    private static ClassifiedException badAnswer(String reason) {
        return new ClassifiedException(Failure.of(FailureKind.BAD_ANSWER, reason));
    }
}
