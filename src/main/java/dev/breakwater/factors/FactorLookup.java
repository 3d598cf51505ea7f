package dev.breakwater.factors;

/** The outcome of a factor request: an answer from one of the tiers, or why there is none. */
public sealed interface FactorLookup {

    record Found(FactorAnswer answer) implements FactorLookup {
    }

    /** The broker says the category does not exist; that is an answer, not a failure to fall back from. */
    record Unknown(String detail) implements FactorLookup {
    }

    /** The broker failed, nothing is cached and there is no default: no number is better than an invented one. */
    record Unavailable(String detail) implements FactorLookup {
    }
}
