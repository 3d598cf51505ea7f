package dev.breakwater.resilience;

/**
 * A call that counted against a service's breaker ({@code FAILED}), or that its open breaker refused
 * without calling ({@code BLOCKED}). Published so metrics stay monotonic across breaker rebuilds,
 * which reset the client's own stats.
 */
public record BreakerCall(String service, Outcome outcome) {

    public enum Outcome { FAILED, BLOCKED }
}
