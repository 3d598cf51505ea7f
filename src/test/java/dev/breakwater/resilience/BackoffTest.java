package dev.breakwater.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private static final RetrySettings SEED = new RetrySettings(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 2,
            Duration.ofMillis(500));

    @Test
    void windowGrowsExponentiallyAndIsCappedAtMaxDelay() {
        Backoff backoff = new Backoff(SEED, () -> 1.0);
        assertEquals(1000, backoff.windowMillis(0));
        assertEquals(2000, backoff.windowMillis(1));
        assertEquals(4000, backoff.windowMillis(2));
        assertEquals(8000, backoff.windowMillis(3));
        assertEquals(10000, backoff.windowMillis(4));
        assertEquals(10000, backoff.windowMillis(30));
    }

    @Test
    void fullJitterDrawsAcrossTheWholeWindow() {
        assertEquals(2000, new Backoff(SEED, () -> 0.5).delayMillis(2, Optional.empty()));
        assertEquals(8000, new Backoff(SEED, () -> 1.0).delayMillis(3, Optional.empty()));
    }

    @Test
    void aDrawNearZeroIsRaisedToTheFloorSoRetriesNeverSpin() {
        assertEquals(500, new Backoff(SEED, () -> 0.0).delayMillis(0, Optional.empty()));
        assertEquals(500, new Backoff(SEED, () -> 0.01).delayMillis(3, Optional.empty()));
    }

    @Test
    void retryAfterWinsOverTheJitteredDelay() {
        Backoff backoff = new Backoff(SEED, () -> 0.0);
        assertEquals(3000, backoff.delayMillis(0, Optional.of(Duration.ofSeconds(3))));
    }

    @Test
    void retryAfterLongerThanTheCapDoesNotFit() {
        Backoff backoff = new Backoff(SEED, () -> 0.5);
        assertTrue(backoff.fits(Optional.of(Duration.ofSeconds(10))));
        assertFalse(backoff.fits(Optional.of(Duration.ofSeconds(11))));
        assertTrue(backoff.fits(Optional.empty()));
    }
}
