package dev.breakwater.resilience;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every protected service's {@link ResilientClient}, by service name (one breaker per service,
 * never shared). Transitions are published as CDI events for logging and metrics, and the most
 * recent ones are kept for the status page.
 */
@Singleton
public class BreakerRegistry {

    private static final int RECENT = 50;

    private final Map<String, ResilientClient> clients = new ConcurrentHashMap<>();
    private final Deque<BreakerTransition> recent = new ArrayDeque<>();
    private final Clock clock;
    private final Event<BreakerTransition> events;
    private final Event<BreakerCall> calls;
    private final Event<BreakerRegistered> registrations;
    private final Event<BreakerRemoved> removals;
    /** Set once at start-up when breaker state is shared across replicas; clients built earlier see it too. */
    private final PeerStateSwitch currentPeers = new PeerStateSwitch();
    private final BreakerListener listener = new BreakerListener() {
        @Override
        public void onTransition(BreakerTransition transition) {
            publish(transition);
        }

        @Override
        public void onCall(BreakerCall call) {
            calls.fire(call);
        }
    };

    public BreakerRegistry(Clock clock, Event<BreakerTransition> events, Event<BreakerCall> calls,
                           Event<BreakerRegistered> registrations, Event<BreakerRemoved> removals) {
        this.clock = clock;
        this.events = events;
        this.calls = calls;
        this.registrations = registrations;
        this.removals = removals;
    }

    /** The client of {@code service}, created with {@code policy} on first request. */
    public ResilientClient register(String service, ResiliencePolicy policy) {
        boolean[] created = {false};
        ResilientClient client = clients.computeIfAbsent(service, s -> {
            created[0] = true;
            return new ResilientClient(s, policy, clock, listener, currentPeers);
        });
        if (created[0]) {
            registrations.fire(new BreakerRegistered(service));
        }
        return client;
    }

    /** Replaces a service's client with one built from new settings; the old breaker state is dropped. */
    public ResilientClient replace(String service, ResiliencePolicy policy) {
        ResilientClient fresh = new ResilientClient(service, policy, clock, listener, currentPeers);
        ResilientClient old = clients.put(service, fresh);
        if (old != null && old.state() != BreakerState.CLOSED) {
            publish(new BreakerTransition(service, old.state(), BreakerState.CLOSED, clock.instant(), 0, null, true));
        }
        return fresh;
    }

    /**
     * Forgets a service that is no longer needed (a model dropped by a reload, a routed model evicted
     * from its bounded table); whoever still holds its client may finish with it.
     */
    public void remove(String service) {
        if (clients.remove(service) != null) {
            removals.fire(new BreakerRemoved(service));
        }
    }

    /** As {@link #remove(String)}, but only while {@code client} is still the service's current one. */
    public void remove(String service, ResilientClient client) {
        if (clients.remove(service, client)) {
            removals.fire(new BreakerRemoved(service));
        }
    }

    public void usePeers(PeerState peers) {
        currentPeers.use(peers);
    }

    public Optional<ResilientClient> find(String service) {
        return Optional.ofNullable(clients.get(service));
    }

    public Collection<ResilientClient> all() {
        return List.copyOf(clients.values());
    }

    public synchronized List<BreakerTransition> recentTransitions() {
        return List.copyOf(recent);
    }

    private void publish(BreakerTransition transition) {
        synchronized (this) {
            recent.addFirst(transition);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        events.fire(transition);
    }
}
