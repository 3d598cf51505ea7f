package dev.breakwater.keys;

/** A key's use in one budget period: admitted requests, tokens from the answers' usage, cost in nano-USD. */
public record UsageTotals(long requests, long promptTokens, long completionTokens, long costNanos) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0);

    public UsageTotals plus(UsageTotals other) {
        return new UsageTotals(requests + other.requests, promptTokens + other.promptTokens,
                completionTokens + other.completionTokens, costNanos + other.costNanos);
    }

    public double costUsd() {
        return costNanos / 1e9;
    }
}
