package dev.breakwater.providers;

import java.util.List;
import java.util.Optional;

/** A provider-neutral chat request. */
public record ChatPrompt(List<ChatTurn> messages, Integer maxTokens, Double temperature,
                         Optional<ClassificationTask> task) {

    public ChatPrompt {
        messages = List.copyOf(messages);
        task = task == null ? Optional.empty() : task;
    }
}
