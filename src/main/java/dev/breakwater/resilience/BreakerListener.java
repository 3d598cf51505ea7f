package dev.breakwater.resilience;

/**
 * What a {@link ResilientClient} reports besides its stats: every transition, and every call that
 * failed or was blocked (only the registry's metrics need the latter, hence the default).
 */
@FunctionalInterface
public interface BreakerListener {

    void onTransition(BreakerTransition transition);

    default void onCall(BreakerCall call) {
    }
}
