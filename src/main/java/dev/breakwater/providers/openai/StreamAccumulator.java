package dev.breakwater.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;

import java.io.IOException;

/**
 * Collects an OpenAI chat-completion stream into one answer and judges it once it has ended.
 * Complete means a chunk carried {@code finish_reason}; {@code data: [DONE]} is not required (some
 * compatible servers omit it), and once the finish and the usage are in, reading stops at once. One
 * unparseable event is skipped if the rest completes; a second one fails the attempt.
 */
final class StreamAccumulator implements ServerSentEventListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int TOLERATED_MALFORMED_EVENTS = 1;

    private final StringBuilder content = new StringBuilder();
    private String finishReason;
    private TokenUsage usage;
    private String model;
    private int malformed;
    private Throwable error;
    private Failure failure;

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
        String data = event.data() == null ? "" : event.data().trim();
        if (data.isEmpty()) {
            return;
        }
        if (data.equals("[DONE]")) {
            context.parsingHandle().cancel();
            return;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (IOException e) {
            if (++malformed > TOLERATED_MALFORMED_EVENTS) {
                failure = Failure.of(FailureKind.BAD_ANSWER, "the upstream stream carried " + malformed + " malformed events");
                context.parsingHandle().cancel();
            }
            return;
        }
        if (chunk.has("error")) {
            // Providers report failures that happen after the 200 inside the stream.
            failure = ProviderErrors.classify(502, data, null);
            context.parsingHandle().cancel();
            return;
        }
        accept(chunk);
        if (finishReason != null && usage != null) {
            context.parsingHandle().cancel();
        }
    }

    private void accept(JsonNode chunk) {
        if (chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode piece = choice.path("delta").path("content");
        if (piece.isTextual()) {
            content.append(piece.asText());
        }
        if (choice.hasNonNull("finish_reason")) {
            finishReason = choice.get("finish_reason").asText();
        }
        JsonNode u = chunk.path("usage");
        if (u.isObject()) {
            usage = new TokenUsage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt());
        }
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    /** The whole answer, or the classified reason the stream does not count as one. */
    ModelReply reply(String configuredModel) throws Exception {
        if (failure != null) {
            throw new ClassifiedException(failure);
        }
        if (finishReason == null) {
            if (error instanceof Exception e) {
                throw ProviderErrors.translate(e).map(Exception.class::cast).orElse(asCut(e));
            }
            throw new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "the upstream stream ended without a finish_reason"));
        }
        // A finish seen before an error or a silence means the answer itself is whole.
        if (finishReason.equals("content_filter")) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "the provider's content filter stopped the answer"));
        }
        return new ModelReply(content.toString(), finishReason, usage == null ? TokenUsage.NONE : usage,
                model == null ? configuredModel : model);
    }

    /** A read error mid-stream is a cut connection: transient, unlike a timeout or an interruption, which keep their meaning. */
    private static Exception asCut(Exception e) {
        if (e instanceof IOException && !(e instanceof java.net.http.HttpTimeoutException)) {
            return new ClassifiedException(Failure.of(FailureKind.TRANSIENT,
                    "the upstream stream was cut before its final chunk"), e);
        }
        return e;
    }
}
