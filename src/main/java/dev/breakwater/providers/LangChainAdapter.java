package dev.breakwater.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;

import java.util.List;

/** Runs a {@link ChatPrompt} on any LangChain4j chat model and translates its failures. */
public final class LangChainAdapter implements ModelClient {

    private final ChatModel model;
    private final ObjectMapper json;
    private final String configuredModelId;

    public LangChainAdapter(ChatModel model, ObjectMapper json, String configuredModelId) {
        this.model = model;
        this.json = json;
        this.configuredModelId = configuredModelId;
    }

    @Override
    public ModelReply chat(ChatPrompt prompt) {
        ChatRequest.Builder request = ChatRequest.builder().messages(toMessages(prompt.messages()));
        if (prompt.maxTokens() != null) {
            request.maxOutputTokens(prompt.maxTokens());
        }
        if (prompt.temperature() != null) {
            request.temperature(prompt.temperature());
        }
        if (prompt.topP() != null) {
            request.topP(prompt.topP());
        }
        if (!prompt.stop().isEmpty()) {
            request.stopSequences(prompt.stop());
        }
        ChatResponse response;
        try {
            response = model.chat(request.build());
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(json, e).orElseThrow(() -> e);
        }
        if (response.finishReason() == FinishReason.CONTENT_FILTER) {
            throw new ClassifiedException(Failure.of(FailureKind.CONTENT_POLICY,
                    "the provider's content filter stopped the answer"));
        }
        var usage = response.tokenUsage();
        return new ModelReply(
                response.aiMessage() == null ? null : response.aiMessage().text(),
                response.finishReason() == null ? null : response.finishReason().name().toLowerCase(),
                usage == null ? TokenUsage.NONE : new TokenUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount())),
                response.modelName() == null ? configuredModelId : response.modelName());
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }

    private static List<ChatMessage> toMessages(List<ChatTurn> turns) {
        return turns.stream().<ChatMessage>map(t -> switch (t.role()) {
            case "system", "developer" -> SystemMessage.from(t.content());
            case "assistant" -> AiMessage.from(t.content());
            default -> UserMessage.from(t.content());
        }).toList();
    }
}
