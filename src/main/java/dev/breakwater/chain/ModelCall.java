package dev.breakwater.chain;

/** The work done against one model of the chain. */
@FunctionalInterface
public interface ModelCall<T> {
    T call(ModelEndpoint model) throws Exception;
}
