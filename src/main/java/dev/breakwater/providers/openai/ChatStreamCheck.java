package dev.breakwater.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.providers.http.SseListener;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects an OpenAI chat-completion stream, event by event as the upstream sent it, and judges it
 * once it has ended. Generic on purpose, so tool calls, several choices and fields the gateway does
 * not know pass: whole means every choice index that appeared ended with a {@code finish_reason}
 * ({@code tool_calls} included). {@code data: [DONE]} is not required (some compatible servers omit
 * it); once every choice asked for ({@code n}) has finished and the usage is in (when the caller asked
 * for it), reading stops. One unparseable event is dropped if the rest completes; a second one fails
 * the attempt. Not thread-safe: the transport calls it from one reader at a time.
 */
final class ChatStreamCheck implements SseListener {

    static final int TOLERATED_MALFORMED_EVENTS = 1;

    private final ObjectMapper json;
    private final int choicesAsked;
    private final boolean usageAsked;
    private final List<ObjectNode> chunks = new ArrayList<>();
    private final Set<Integer> seen = new HashSet<>();
    private final Map<Integer, String> finishes = new HashMap<>();
    private TokenUsage usage;
    private String model;
    private int malformed;
    private Throwable error;
    private Failure failure;

    ChatStreamCheck(ObjectMapper json, ObjectNode request) {
        this.json = json;
        this.choicesAsked = Math.max(1, request.path("n").asInt(1));
        this.usageAsked = request.path("stream_options").path("include_usage").asBoolean(false);
    }

    @Override
    public boolean onEvent(String name, String data) {
        String payload = data.trim();
        if (payload.isEmpty()) {
            return true;
        }
        if (payload.equals("[DONE]")) {
            return false;
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException e) {
            event = null;
        }
        if (!(event instanceof ObjectNode chunk)) {
            if (++malformed > TOLERATED_MALFORMED_EVENTS) {
                failure = Failure.of(FailureKind.BAD_ANSWER, "the upstream stream carried " + malformed + " malformed events");
                return false;
            }
            return true;
        }
        if (chunk.has("error")) {
            // Providers report failures that happen after the 200 inside the stream.
            failure = ProviderErrors.classify(json, 502, payload, null);
            return false;
        }
        accept(chunk);
        return !(whole() && finishes.size() >= choicesAsked && (usage != null || !usageAsked));
    }

    /** Stopped at {@code [DONE]} or once the answer was whole, not for a malformed or error event. */
    @Override
    public boolean complete() {
        return failure == null;
    }

    private void accept(ObjectNode chunk) {
        chunks.add(chunk);
        if (chunk.hasNonNull("model")) {
            model = chunk.get("model").asText();
        }
        for (JsonNode choice : chunk.path("choices")) {
            int index = choice.path("index").asInt(0);
            seen.add(index);
            if (choice.path("finish_reason").isTextual()) {
                finishes.put(index, choice.get("finish_reason").asText());
            }
        }
        if (chunk.path("usage").isObject()) {
            usage = usage(chunk.path("usage"));
        }
    }

    private boolean whole() {
        return !seen.isEmpty() && finishes.keySet().containsAll(seen);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
    }

    @Override
    public void onClose() {
        // The verdict waits for answer(): a close before the finish is judged there.
    }

    /** The whole answer, or the classified reason the stream does not count as one. */
    ChatAnswer answer(String configuredModel) throws Exception {
        if (failure != null) {
            throw new ClassifiedException(failure);
        }
        if (!whole()) {
            if (error instanceof Exception e) {
                throw ProviderErrors.translate(json, e).map(Exception.class::cast).orElse(asCut(e));
            }
            if (error != null) {
                throw new IllegalStateException("upstream stream failed", error);
            }
            throw new ClassifiedException(Failure.of(FailureKind.TRANSIENT, "the upstream stream ended without a finish_reason"));
        }
        // A finish seen before an error or a silence means the answer itself is whole.
        if (finishes.values().stream().allMatch("content_filter"::equals)) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY, "the provider's content filter stopped the answer"));
        }
        return ChatAnswer.streamed(chunks, usage, model == null ? configuredModel : model);
    }

    /** A read error mid-stream is a cut connection: transient, unlike a timeout or an interruption, which keep their meaning. */
    private static Exception asCut(Exception e) {
        if (e instanceof IOException && !(e instanceof HttpTimeoutException)) {
            return new ClassifiedException(Failure.of(FailureKind.TRANSIENT,
                    "the upstream stream was cut before its final chunk"), e);
        }
        return e;
    }

    /** OpenAI's usage object; {@link TokenUsage#NONE} when absent. */
    static TokenUsage usage(JsonNode u) {
        return u.isObject() ? new TokenUsage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt()) : TokenUsage.NONE;
    }

    /** True when there is at least one choice and every one ended for {@code reason}. */
    static boolean allFinishedBy(JsonNode choices, String reason) {
        if (choices.isEmpty()) {
            return false;
        }
        for (JsonNode choice : choices) {
            if (!reason.equals(choice.path("finish_reason").asText(null))) {
                return false;
            }
        }
        return true;
    }
}
