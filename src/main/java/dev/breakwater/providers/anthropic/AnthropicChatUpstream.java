package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;

import java.time.Clock;

/**
 * An Anthropic model behind OpenAI's Chat Completions shape: the caller's request is translated to
 * the Messages API ({@link RequestTranslator}), the answer or stream back ({@link ResponseTranslator},
 * {@link StreamTranslator}). A stream is read to its {@code message_stop} before anything is
 * returned, like every upstream's.
 */
public final class AnthropicChatUpstream implements ChatUpstream {

    static final String API_VERSION = "2023-06-01";

    private final HttpClient http;
    private final ObjectMapper json;
    private final RequestTranslator requests;
    private final Clock clock;
    private final String url;
    private final String apiKey;
    private final String modelId;

    public AnthropicChatUpstream(HttpClient http, ObjectMapper json, Clock clock, String baseUrl, String apiKey,
                                 String modelId, int defaultMaxTokens) {
        this.http = http;
        this.json = json;
        this.requests = new RequestTranslator(json, defaultMaxTokens);
        this.clock = clock;
        this.url = baseUrl.replaceAll("/+$", "") + "/messages";
        this.apiKey = apiKey;
        this.modelId = modelId;
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
        try {
            return stream
                    ? streamed(body, request.path("stream_options").path("include_usage").asBoolean(false), created)
                    : whole(body, created);
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(e).map(RuntimeException.class::cast).orElse(e);
        }
    }

    private ChatAnswer whole(ObjectNode body, long created) {
        String answer = http.execute(request(body, "application/json")).body();
        JsonNode message;
        try {
            message = json.readTree(answer);
        } catch (JsonProcessingException e) {
            throw ResponseTranslator.badAnswer("the upstream's answer is not JSON");
        }
        ObjectNode completion = ResponseTranslator.toCompletion(message, created);
        refusalChecked(message.path("stop_reason").asText(null));
        return ChatAnswer.whole(completion, ResponseTranslator.usageOf(message.path("usage")), message.path("model").asText(modelId));
    }

    private ChatAnswer streamed(ObjectNode body, boolean includeUsage, long created) throws Exception {
        MessagesStreamListener listener = new MessagesStreamListener(new StreamTranslator(json, includeUsage, created));
        http.execute(request(body, "text/event-stream"), new DefaultServerSentEventParser(), listener);
        return listener.answer();
    }

    /** Anthropic's {@code refusal} stop reason is its content filter: a refusal, as the chain treats OpenAI's. */
    static void refusalChecked(String stopReason) {
        if ("refusal".equals(stopReason)) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "the provider refused to answer (stop_reason: refusal)"));
        }
    }

    private HttpRequest request(ObjectNode body, String accept) {
        return HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(url)
                .addHeader("x-api-key", apiKey)
                .addHeader("anthropic-version", API_VERSION)
                .addHeader("content-type", "application/json")
                .addHeader("accept", accept)
                .body(body.toString())
                .build();
    }
}
