package dev.breakwater.keys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's own counters while Redis is away: the same rules as the Lua script, applied to what
 * this replica saw since the outage began (plus the spend Redis last reported), and the usage to write
 * back to Redis when it returns. Synchronized: it only runs during an outage.
 */
final class LocalLimiter {

    private record Window(String id, long window) { }

    private record Period(String id, long start) { }

    private final Map<Window, long[]> windows = new ConcurrentHashMap<>();
    private final Map<Period, UsageTotals> pending = new ConcurrentHashMap<>();
    private final Map<Period, Long> lastSpent = new ConcurrentHashMap<>();

    /** Remembers what Redis last said a key had spent, so a budget still holds during an outage. */
    void spentInRedis(CallerKey key, long periodStart, long spentNanos) {
        lastSpent.put(new Period(key.id(), periodStart), spentNanos);
    }

    synchronized Verdict admit(CallerKey key, long window, long periodStart, long[] seen) {
        long[] counts = windows.computeIfAbsent(new Window(key.id(), window), w -> new long[2]);
        windows.keySet().removeIf(w -> w.window() < window);
        Period period = new Period(key.id(), periodStart);
        long spent = lastSpent.getOrDefault(period, 0L) + pending.getOrDefault(period, UsageTotals.NONE).costNanos();
        Verdict verdict;
        if (key.budgetNanos() >= 0 && spent >= key.budgetNanos()) {
            verdict = Verdict.QUOTA;
        } else if (key.rpm() != null && counts[0] >= key.rpm()) {
            verdict = Verdict.REQUESTS;
        } else if (key.tpm() != null && counts[1] >= key.tpm()) {
            verdict = Verdict.TOKENS;
        } else {
            verdict = Verdict.ADMITTED;
            counts[0]++;
            pending.merge(period, new UsageTotals(1, 0, 0, 0), UsageTotals::plus);
        }
        seen[0] = counts[0];
        seen[1] = counts[1];
        seen[2] = spent;
        return verdict;
    }

    synchronized void record(CallerKey key, long window, long periodStart, UsageTotals used) {
        long[] counts = windows.get(new Window(key.id(), window));
        if (counts != null) {
            counts[1] += used.promptTokens() + used.completionTokens();
        }
        pending.merge(new Period(key.id(), periodStart), used, UsageTotals::plus);
    }

    /** Hands each key's pending usage to {@code writer}; what it writes is forgotten, the rest kept. */
    synchronized void drain(PendingWriter writer) {
        pending.entrySet().removeIf(e -> writer.write(e.getKey().id(), e.getKey().start(), e.getValue()));
        windows.clear();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    interface PendingWriter {
        boolean write(String id, long periodStart, UsageTotals usage);
    }
}
