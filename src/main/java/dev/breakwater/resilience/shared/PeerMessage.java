package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.BreakerState;

import java.util.Optional;

/**
 * One replica's news on the breaker channel: {@code 2|replica|OPEN|openForMillis|service} or
 * {@code 2|replica|CLOSED|0|service} (the {@code HALF_OPEN} hellos of earlier releases are ignored). An
 * opening travels as the time left of it, never as a time on the sender's clock, so clock skew between pods
 * cannot shift it. The leading version keeps the absolute times of
 * earlier releases (which had none) from being read as durations during a rolling upgrade.
 */
record PeerMessage(String replica, BreakerState state, long openForMillis, String service) {

    private static final String VERSION = "2";

    static PeerMessage opened(String replica, String service, long openForMillis) {
        return new PeerMessage(replica, BreakerState.OPEN, openForMillis, service);
    }

    static PeerMessage closed(String replica, String service) {
        return new PeerMessage(replica, BreakerState.CLOSED, 0, service);
    }

    String encode() {
        return VERSION + "|" + replica + "|" + state + "|" + openForMillis + "|" + service;
    }

    /** Empty for anything that is not a message of this format (another program, or another release, on the channel). */
    static Optional<PeerMessage> decode(String text) {
        String[] parts = text.split("\\|", 5);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PeerMessage(parts[1], BreakerState.valueOf(parts[2]),
                    Long.parseLong(parts[3]), parts[4]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
