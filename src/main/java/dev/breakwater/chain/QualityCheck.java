package dev.breakwater.chain;

/** Decides whether a model's answer is good enough to return, or whether the chain moves on. */
@FunctionalInterface
public interface QualityCheck<T> {

    QualityVerdict check(T answer, double minQuality);

    /** Accepts every answer: for chains with no quality requirement. */
    static <T> QualityCheck<T> none() {
        return (answer, minQuality) -> QualityVerdict.accept();
    }
}
