package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.resilience.PeerState.Admission;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory gate logic on a clock the test moves: no Redis, no threads, no sleeping. */
class GatesTest {

    private static final String SERVICE = "gpt-4o";
    private final MovableClock clock = new MovableClock();
    private final Gates gates = new Gates(clock);

    @Test
    void aPeersOpeningIsFollowedForItsDurationOnThisReplicasClockWhateverItReads() {
        clock.set(Instant.parse("2030-01-01T00:00:30Z")); // 30 s ahead of the peer: it only sent a duration
        gates.follow(SERVICE, 2_000);
        assertTrue(gates.openElsewhere(SERVICE));
        assertEquals(List.of(), due(), "nothing to claim during the opening");
        clock.advance(1_999);
        assertEquals(List.of(), due());
        clock.advance(1);
        assertEquals(List.of(SERVICE), due(), "claim the lease once the opening's time is up");
    }

    @Test
    void aHeldLeaseAdmitsExactlyOneProbeAtATime() {
        gates.follow(SERVICE, 0);
        PeerGate waiting = gates.peerGate(SERVICE).orElseThrow();
        gates.claimed(SERVICE, waiting, Optional.of(true), clock.millis() + 1_000);
        assertEquals(Admission.PROBE, gates.admit(SERVICE, () -> { }));
        assertEquals(Admission.SKIP, gates.admit(SERVICE, () -> { }), "one permit");
        assertTrue(gates.probing(SERVICE).isPresent());
        clock.advance(1_000);
        due();
        assertTrue(gates.probing(SERVICE).isEmpty(), "the lease's end forgets a probe whose outcome never came");
        assertTrue(gates.openElsewhere(SERVICE), "and competes for the lease again");
    }

    @Test
    void anOpeningReadOnJoiningAgainLeavesAProbeInFlightAloneAndResetsOnlyAWait() {
        gates.follow(SERVICE, 0);
        gates.claimed(SERVICE, gates.peerGate(SERVICE).orElseThrow(), Optional.of(true), clock.millis() + 5_000);
        assertEquals(Admission.PROBE, gates.admit(SERVICE, () -> { }));
        gates.followStored(SERVICE, 50);
        assertTrue(gates.probing(SERVICE).isPresent(), "the probe's outcome still counts");
        clock.advance(50);
        assertEquals(List.of(), due(), "no second claim while the probe is in flight");

        gates.follow(SERVICE, 1_000);
        gates.followStored(SERVICE, 3_000);
        clock.advance(2_999);
        assertEquals(List.of(), due(), "a wait follows the stored opening's time left");
        clock.advance(1);
        assertEquals(List.of(SERVICE), due());
    }

    @Test
    void aLostClaimKeepsWaitingAndRedisAwayMakesTheReplicaItsOwnHalfOpenBreaker() {
        gates.follow(SERVICE, 0);
        PeerGate waiting = gates.peerGate(SERVICE).orElseThrow();
        gates.claimed(SERVICE, waiting, Optional.of(false), clock.millis() + 1_000);
        assertEquals(Admission.SKIP, gates.admit(SERVICE, () -> { }), "a peer holds the lease");
        gates.claimed(SERVICE, waiting, Optional.empty(), clock.millis() + 1_000);
        assertEquals(Admission.PROBE, gates.admit(SERVICE, () -> { }), "Redis away: one call of this replica");
        assertEquals(Admission.SKIP, gates.admit(SERVICE, () -> { }), "and only one at a time");
    }

    @Test
    void theOpenersLapsedLeaseSkipsTheServiceAndStartsOneReclaim() {
        gates.holdOwn(SERVICE, 3_000);
        AtomicInteger reclaims = new AtomicInteger();
        assertEquals(Admission.CALL, gates.admit(SERVICE, reclaims::incrementAndGet), "its half-open breaker decides");
        clock.advance(3_000);
        assertFalse(gates.renewOwn(SERVICE, 1_000), "a lapsed lease is not renewed: a peer may hold it now");
        assertEquals(Admission.SKIP, gates.admit(SERVICE, reclaims::incrementAndGet));
        assertEquals(Admission.SKIP, gates.admit(SERVICE, reclaims::incrementAndGet));
        assertEquals(1, reclaims.get(), "one re-claim on its way");

        gates.reclaimed(SERVICE, Optional.of(false), clock.millis() + 1_000);
        assertTrue(gates.openElsewhere(SERVICE), "a peer won it: follow that peer");
    }

    private List<String> due() {
        List<String> claims = new ArrayList<>();
        gates.due((service, gate) -> claims.add(service));
        return claims;
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void set(Instant instant) {
            now = instant;
        }

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
