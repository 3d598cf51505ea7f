package dev.breakwater.resilience;

/**
 * The last N call outcomes, N being the breaker's failure threshold: the same window the breaker
 * decides on, so the failure rate shown beside it explains its state (1.0 = about to open or open).
 */
final class OutcomeWindow {

    private final boolean[] failed;
    private int next;
    private int filled;

    OutcomeWindow(int size) {
        this.failed = new boolean[Math.max(1, size)];
    }

    synchronized void record(boolean failure) {
        failed[next] = failure;
        next = (next + 1) % failed.length;
        filled = Math.min(filled + 1, failed.length);
    }

    /** A closed breaker starts a fresh window, as SmallRye's does. */
    synchronized void clear() {
        next = 0;
        filled = 0;
    }

    synchronized double failureRate() {
        if (filled == 0) {
            return 0;
        }
        int failures = 0;
        for (int i = 0; i < filled; i++) {
            if (failed[i]) {
                failures++;
            }
        }
        return (double) failures / filled;
    }
}
