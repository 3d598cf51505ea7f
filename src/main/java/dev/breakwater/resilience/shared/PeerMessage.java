package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.BreakerState;

import java.util.Optional;

/**
 * One replica's news on the breaker channel: {@code replica|OPEN|openUntilMillis|service}, {@code replica|CLOSED|0|service},
 * or {@code replica|HALF_OPEN|0|} — a hello a replica sends to check that it hears the channel.
 */
record PeerMessage(String replica, BreakerState state, long openUntil, String service) {

    static PeerMessage opened(String replica, String service, long until) {
        return new PeerMessage(replica, BreakerState.OPEN, until, service);
    }

    static PeerMessage closed(String replica, String service) {
        return new PeerMessage(replica, BreakerState.CLOSED, 0, service);
    }

    static PeerMessage hello(String replica) {
        return new PeerMessage(replica, BreakerState.HALF_OPEN, 0, "");
    }

    String encode() {
        return replica + "|" + state + "|" + openUntil + "|" + service;
    }

    /** Empty for anything that is not a message of this format (another program on the channel). */
    static Optional<PeerMessage> decode(String text) {
        String[] parts = text.split("\\|", 4);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PeerMessage(parts[0], BreakerState.valueOf(parts[1]),
                    Long.parseLong(parts[2]), parts[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
