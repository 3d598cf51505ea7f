package dev.breakwater.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The minute window on a clock the test moves; no sleeping. */
class AdminGuessThrottleTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void theEleventhWrongTokenWithinAMinuteBlocksTheAddressUntilTheMinuteIsOver() {
        AdminGuessThrottle throttle = new AdminGuessThrottle(clock);
        for (int i = 0; i < 10; i++) {
            assertFalse(throttle.failed("10.0.0.1"));
            now = now.plusSeconds(1);
        }
        assertEquals(Optional.empty(), throttle.waitFor("10.0.0.1"));
        assertTrue(throttle.failed("10.0.0.1"));
        assertEquals(Optional.of(Duration.ofSeconds(50)), throttle.waitFor("10.0.0.1"));
        assertEquals(Optional.empty(), throttle.waitFor("10.0.0.2"), "other addresses are not affected");
        now = now.plusSeconds(49);
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.waitFor("10.0.0.1"));
        now = now.plusSeconds(1);
        assertEquals(Optional.empty(), throttle.waitFor("10.0.0.1"), "a new minute starts afresh");
        assertFalse(throttle.failed("10.0.0.1"));
    }

    @Test
    void theTableOfAddressesIsBounded() {
        AdminGuessThrottle throttle = new AdminGuessThrottle(clock);
        for (int i = 0; i < AdminGuessThrottle.MAX_ADDRESSES + 5_000; i++) {
            throttle.failed("addr-" + i);
        }
        assertEquals(AdminGuessThrottle.MAX_ADDRESSES, throttle.trackedAddresses());
    }
}
