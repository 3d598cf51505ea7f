package dev.breakwater.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One model's whole chat answer in OpenAI's shape, as the upstream sent it: a {@code chat.completion}
 * object, or for a streamed request the {@code chat.completion.chunk} events in order (without the
 * closing {@code [DONE]}). The gateway only replaces {@code model} before passing it on.
 *
 * @param completion the answer of a non-streamed request, else null
 * @param bytes      that answer as it came, when it can go out so (see {@link AnswerBytes}), else null
 * @param chunks     the events of a streamed request, else empty
 * @param usage      the upstream's token counts, {@link TokenUsage#NONE} when it reported none
 * @param model      the model id the upstream reported (may differ from the configured one)
 */
public record ChatAnswer(ObjectNode completion, AnswerBytes bytes, List<ObjectNode> chunks, TokenUsage usage, String model) {

    public ChatAnswer {
        chunks = List.copyOf(chunks);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    public static ChatAnswer whole(ObjectNode completion, TokenUsage usage, String model) {
        return whole(completion, null, usage, model);
    }

    public static ChatAnswer whole(ObjectNode completion, AnswerBytes bytes, TokenUsage usage, String model) {
        return new ChatAnswer(completion, bytes, List.of(), usage, model);
    }

    public static ChatAnswer streamed(List<ObjectNode> chunks, TokenUsage usage, String model) {
        return new ChatAnswer(null, null, chunks, usage, model);
    }

    public boolean isStream() {
        return completion == null;
    }
}
