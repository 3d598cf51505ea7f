package dev.breakwater.resilience;

import java.time.Instant;

/**
 * A peer replica's opening of a service as this replica follows it: peers may probe from {@code openUntil}
 * on; {@code probingHere} while this replica holds the probe lease (it is the half-open one).
 */
public record PeerOpening(Instant openUntil, boolean probingHere) {
}
