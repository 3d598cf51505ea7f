package dev.breakwater.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;

/**
 * Hears every attempt {@link FallbackManager} makes, so tracing (or anything else that follows a
 * request model by model) lives beside the chain instead of inside it. A blocking call runs on the
 * thread that called {@link #started}, until {@link Try#ended}, so an observer may make its own context
 * current for it; a call that holds no thread is sent before {@link Try#detached}, on that thread, and
 * ends on another.
 */
public interface AttemptObserver {

    /** A try of {@code model} is about to call it. */
    Try started(ModelChain chain, ModelEndpoint model);

    /** A model the chain passed over without calling it (not configured, open circuit). */
    void skipped(ModelChain chain, ModelEndpoint model, Attempt attempt);

    /** One try in progress. */
    interface Try {

        /** The model answered (the answer may still fail the quality check). */
        void replied(ChatPrompt prompt, ModelReply reply);

        /** A chat model answered a caller's OpenAI request (passed through or translated). */
        void answered(ObjectNode request, ChatAnswer answer);

        /** The try is over; {@code attempt} is what the caller is told about it. Called exactly once. */
        void ended(Attempt attempt);

        /**
         * The try's request is sent and the thread that started it moves on: a context made current in
         * {@link #started} must stop being current here. Only for a try that holds no thread.
         */
        default void detached() {
        }

        /** Hears nothing: a model tried under it is called as it is, without observing wrappers. */
        Try NONE = new Try() {
            @Override
            public void replied(ChatPrompt prompt, ModelReply reply) {
            }

            @Override
            public void answered(ObjectNode request, ChatAnswer answer) {
            }

            @Override
            public void ended(Attempt attempt) {
            }
        };
    }

    AttemptObserver NONE = new AttemptObserver() {
        @Override
        public Try started(ModelChain chain, ModelEndpoint model) {
            return Try.NONE;
        }

        @Override
        public void skipped(ModelChain chain, ModelEndpoint model, Attempt attempt) {
        }
    };
}
