package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.chain.QualityCheck;
import dev.breakwater.chain.QualityVerdict;
import dev.breakwater.providers.ChatAnswer;

/**
 * The quality bar of a chat answer: it must say something — text, a tool call or a refusal in some
 * choice. An empty completion that ended normally is what an overloaded or misrouted upstream
 * sometimes returns; the next model can do better. (Confidence, which {@code min-quality}
 * measures, has no meaning for free-form chat.)
 */
final class ChatAnswerCheck implements QualityCheck<ChatAnswer> {

    static final ChatAnswerCheck INSTANCE = new ChatAnswerCheck();

    @Override
    public QualityVerdict check(ChatAnswer answer, double minQuality) {
        boolean saysSomething = answer.isStream()
                ? answer.chunks().stream().anyMatch(c -> anyChoiceSays(c, "delta"))
                : anyChoiceSays(answer.completion(), "message");
        return saysSomething ? QualityVerdict.accept() : QualityVerdict.reject("the model returned an empty answer");
    }

    private static boolean anyChoiceSays(ObjectNode root, String part) {
        for (JsonNode choice : root.path("choices")) {
            JsonNode said = choice.path(part);
            if (filled(said.path("content")) || filled(said.path("tool_calls")) || filled(said.path("function_call"))
                    || filled(said.path("refusal")) || filled(said.path("audio"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean filled(JsonNode node) {
        if (node.isTextual()) {
            return !node.asText().isBlank();
        }
        return node.isContainerNode() && !node.isEmpty();
    }
}
