package dev.breakwater.admin;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing of the admin token: an address that presented more than {@link #MAX_FAILURES}
 * wrong tokens within a minute is refused (429) until its minute is over, whatever it presents.
 * Callers choose their addresses, so the table is bounded: past {@link #MAX_ADDRESSES} the address
 * not seen for longest is forgotten.
 */
@ApplicationScoped
public class AdminGuessThrottle {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public AdminGuessThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may try again; empty when it may try now. */
    public synchronized Optional<Duration> waitFor(String address) {
        Window w = current(address);
        if (w == null || w.failures() <= MAX_FAILURES) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), w.start().plus(WINDOW));
        // Retry-After counts whole seconds: round up so a client honouring it is never refused again.
        return Optional.of(Duration.ofSeconds(Math.max(1, (left.toMillis() + 999) / 1000)));
    }

    /** Records a wrong token from {@code address}; true when this one goes over the limit. */
    public synchronized boolean failed(String address) {
        Window w = current(address);
        Window next = w == null ? new Window(clock.instant(), 1) : new Window(w.start(), w.failures() + 1);
        windows.put(address, next);
        return next.failures() > MAX_FAILURES;
    }

    int trackedAddresses() {
        synchronized (this) {
            return windows.size();
        }
    }

    private Window current(String address) {
        Window w = windows.get(address);
        if (w != null && !clock.instant().isBefore(w.start().plus(WINDOW))) {
            windows.remove(address);
            return null;
        }
        return w;
    }

    private record Window(Instant start, int failures) {
    }
}
