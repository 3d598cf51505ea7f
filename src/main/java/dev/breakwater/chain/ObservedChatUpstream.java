package dev.breakwater.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.resilience.TryStages;

import java.util.concurrent.CompletableFuture;

/** A model's chat upstream during one try: passes every answer to the try's observer on its way to the caller. */
record ObservedChatUpstream(ChatUpstream delegate, AttemptObserver.Try observer) implements ChatUpstream {

    @Override
    public ChatAnswer call(ObjectNode request, boolean stream) throws Exception {
        ChatAnswer answer = delegate.call(request, stream);
        observer.answered(request, answer);
        return answer;
    }

    @Override
    public CompletableFuture<ChatAnswer> start(ObjectNode request) {
        return TryStages.then(delegate.start(request), (answer, failure) -> {
            if (failure != null) {
                throw failure;
            }
            observer.answered(request, answer);
            return answer;
        });
    }

    @Override
    public void admit(ObjectNode request) {
        delegate.admit(request);
    }
}
