package dev.breakwater.chain;

import java.util.concurrent.CompletableFuture;

/** The work done against one model of the chain. */
@FunctionalInterface
public interface ModelCall<T> {
    T call(ModelEndpoint model) throws Exception;

    /** True for a call made by {@link #call}, which blocks its thread; false for one made by {@link #start}. */
    default boolean blocks() {
        return true;
    }

    /**
     * Starts the call and returns at once: a try that holds no thread while it waits (see
     * {@link dev.breakwater.resilience.TryStages}). Only for a call that does not {@link #blocks() block}.
     */
    default CompletableFuture<T> start(ModelEndpoint model) {
        throw new UnsupportedOperationException("a blocking model call is made by call()");
    }

    /**
     * Checked before the model's breaker, retries and timeout: a {@link dev.breakwater.resilience.ClassifiedException}
     * here (e.g. a request field the model's provider cannot take) records an attempt that made no call.
     * Kept out of the guard because the breaker counts every outcome it does not hold against the model
     * as a success: a refusal inside it could close a half-open breaker without the model being asked.
     */
    default void admit(ModelEndpoint model) {
    }

    /** A call that holds no thread ({@code start}), after {@code admission} has let the model through. */
    static <T> ModelCall<T> starting(java.util.function.Consumer<ModelEndpoint> admission,
                                     java.util.function.Function<ModelEndpoint, CompletableFuture<T>> start) {
        return new ModelCall<>() {
            @Override
            public T call(ModelEndpoint model) {
                throw new UnsupportedOperationException("a model call that holds no thread is made by start()");
            }

            @Override
            public boolean blocks() {
                return false;
            }

            @Override
            public CompletableFuture<T> start(ModelEndpoint model) {
                return start.apply(model);
            }

            @Override
            public void admit(ModelEndpoint model) {
                admission.accept(model);
            }
        };
    }

    /** {@code call}, after {@code admission} has let the model through. */
    static <T> ModelCall<T> admitting(java.util.function.Consumer<ModelEndpoint> admission, ModelCall<T> call) {
        return new ModelCall<>() {
            @Override
            public T call(ModelEndpoint model) throws Exception {
                return call.call(model);
            }

            @Override
            public void admit(ModelEndpoint model) {
                admission.accept(model);
            }
        };
    }
}
