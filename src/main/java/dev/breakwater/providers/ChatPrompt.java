package dev.breakwater.providers;

import java.util.List;
import java.util.Optional;

/**
 * A provider-neutral chat request: the messages and the sampling parameters that every provider
 * takes (OpenAI and Anthropic alike, through LangChain4j's {@code ChatRequest}). Null means "the provider's default".
 */
public record ChatPrompt(List<ChatTurn> messages, Integer maxTokens, Double temperature, Double topP,
                         List<String> stop, Optional<ClassificationTask> task) {

    public ChatPrompt {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        task = task == null ? Optional.empty() : task;
    }

    public ChatPrompt(List<ChatTurn> messages, Integer maxTokens, Double temperature, Optional<ClassificationTask> task) {
        this(messages, maxTokens, temperature, null, List.of(), task);
    }
}
