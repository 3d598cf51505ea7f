package dev.breakwater.testing;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The gateway's clock for tests of per-minute windows: real time flowing, but {@link #nextMinute()} jumps
 * it to just after the start of a fresh minute, so a test's calls never straddle a window boundary by
 * chance. Enabled only by the profiles that list it in {@code getEnabledAlternatives()} (no {@code @Priority}:
 * that would enable it in every test application).
 */
@Alternative
@Singleton
public class MinuteClock extends Clock {

    private volatile long base;
    private volatile long originNanos;

    public MinuteClock() {
        nextMinute();
    }

    /** Jumps to 100 ms into the minute after the current reading (always forward). */
    public synchronized void nextMinute() {
        long now = originNanos == 0 ? System.currentTimeMillis() : millis();
        base = (now / 60_000 + 1) * 60_000 + 100;
        originNanos = System.nanoTime();
    }

    @Override
    public long millis() {
        return base + (System.nanoTime() - originNanos) / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
