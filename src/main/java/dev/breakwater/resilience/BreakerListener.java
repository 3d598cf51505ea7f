package dev.breakwater.resilience;

/** What a {@link ResilientClient} reports about itself besides its stats: transitions and counted calls. */
public interface BreakerListener {

    void onTransition(BreakerTransition transition);

    void onCall(BreakerCall call);
}
