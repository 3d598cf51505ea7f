package dev.breakwater.chain;

import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;

/** A model's client during one try: passes every reply to the try's observer on its way to the caller. */
record ObservedModelClient(ModelClient delegate, AttemptObserver.Try observer) implements ModelClient {

    @Override
    public ModelReply chat(ChatPrompt prompt) {
        return observed(prompt, delegate.chat(prompt));
    }

    private ModelReply observed(ChatPrompt prompt, ModelReply reply) {
        observer.replied(prompt, reply);
        return reply;
    }
}
