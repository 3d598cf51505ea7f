package dev.breakwater.chain;

/** The work done against one model of the chain. */
@FunctionalInterface
public interface ModelCall<T> {
    T call(ModelEndpoint model) throws Exception;

    /**
     * Checked before the model's breaker, retries and timeout: a {@link dev.breakwater.resilience.ClassifiedException}
     * here (e.g. a request field the model's provider cannot take) records an attempt that made no call.
     * Kept out of the guard because the breaker counts every outcome it does not hold against the model
     * as a success: a refusal inside it could close a half-open breaker without the model being asked.
     */
    default void admit(ModelEndpoint model) {
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
