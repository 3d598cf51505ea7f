package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.http.UpstreamHttpClient;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.TryStages;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An Anthropic model behind OpenAI's Chat Completions shape: the caller's request is translated to
 * the Messages API ({@link RequestTranslator}), the answer or stream back ({@link ResponseTranslator},
 * {@link StreamTranslator}). A stream is read to its {@code message_stop} before anything is
 * returned, like every upstream's.
 */
public final class AnthropicChatUpstream implements ChatUpstream {

    static final String API_VERSION = "2023-06-01";

    private final UpstreamHttpClient http;
    private final ObjectMapper json;
    private final RequestTranslator requests;
    private final Clock clock;
    private final String url;
    private final String modelId;
    private final Map<String, List<String>> plainHeaders;
    private final Map<String, List<String>> streamHeaders;

    public AnthropicChatUpstream(UpstreamHttpClient http, ObjectMapper json, Clock clock, String baseUrl, String apiKey,
                                 String modelId, int defaultMaxTokens) {
        this.http = http;
        this.json = json;
        this.requests = new RequestTranslator(json, defaultMaxTokens);
        this.clock = clock;
        this.url = baseUrl.replaceAll("/+$", "") + "/messages";
        this.modelId = modelId;
        this.plainHeaders = headers(apiKey, "application/json");
        this.streamHeaders = headers(apiKey, "text/event-stream");
    }

    private static Map<String, List<String>> headers(String apiKey, String accept) {
        return Map.of("x-api-key", List.of(apiKey),
                "anthropic-version", List.of(API_VERSION),
                "content-type", List.of("application/json"),
                "accept", List.of(accept));
    }

    /** Translating is the check: a field Anthropic cannot take is refused here, before the model's breaker. */
    @Override
    public void admit(ObjectNode request) {
        requests.translate(request, modelId);
    }

    @Override
    public ChatAnswer call(ObjectNode request, boolean stream) throws Exception {
        ObjectNode body = requests.translate(request, modelId);
        if (stream) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        long created = clock.instant().getEpochSecond();
        Buffer payload = Buffer.buffer(json.writeValueAsBytes(body));
        Optional<String> jsonTool = RequestTranslator.jsonModeTool(request);
        try {
            return stream
                    ? streamed(payload, request.path("stream_options").path("include_usage").asBoolean(false), created, jsonTool)
                    : whole(payload, created, jsonTool);
        } catch (RuntimeException e) {
            throw ProviderErrors.translated(json, e);
        }
    }

    /** Sent from the calling thread (the caller's event loop), translated where the answer arrives: no thread waits. */
    @Override
    public CompletableFuture<ChatAnswer> start(ObjectNode request) {
        long created = clock.instant().getEpochSecond();
        Optional<String> jsonTool = RequestTranslator.jsonModeTool(request);
        Buffer payload;
        try {
            ObjectNode body = requests.translate(request, modelId);
            body.remove("stream");
            payload = Buffer.buffer(json.writeValueAsBytes(body));
        } catch (RuntimeException | java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return TryStages.then(http.postAsync(url, plainHeaders, payload), (answer, failure) -> {
            if (failure != null) {
                throw failure instanceof RuntimeException e ? ProviderErrors.translated(json, e) : failure;
            }
            return whole(answer, created, jsonTool);
        });
    }

    private ChatAnswer whole(Buffer body, long created, Optional<String> jsonTool) {
        return whole(http.post(url, plainHeaders, body), created, jsonTool);
    }

    private ChatAnswer whole(UpstreamHttpClient.RawResponse answer, long created, Optional<String> jsonTool) {
        JsonNode message;
        try {
            message = json.readTree(answer.body().getBytes());
        } catch (java.io.IOException e) {
            throw ResponseTranslator.badAnswer("the upstream's answer is not JSON");
        }
        ObjectNode completion = ResponseTranslator.toCompletion(message, created, jsonTool);
        refusalChecked(message.path("stop_reason").asText(null));
        return ChatAnswer.whole(completion, ResponseTranslator.usageOf(message.path("usage")), message.path("model").asText(modelId));
    }

    private ChatAnswer streamed(Buffer body, boolean includeUsage, long created, Optional<String> jsonTool) throws Exception {
        MessagesStreamListener listener = new MessagesStreamListener(json, new StreamTranslator(json, includeUsage, created, jsonTool));
        http.stream(url, streamHeaders, body, listener);
        return listener.answer();
    }

    /** Anthropic's {@code refusal} stop reason is its content filter: a refusal, as the chain treats OpenAI's. */
    static void refusalChecked(String stopReason) {
        if ("refusal".equals(stopReason)) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "the provider refused to answer (stop_reason: refusal)"));
        }
    }
}
