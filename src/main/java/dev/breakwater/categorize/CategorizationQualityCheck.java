package dev.breakwater.categorize;

import dev.breakwater.chain.QualityCheck;
import dev.breakwater.chain.QualityVerdict;
import dev.breakwater.taxonomy.Taxonomy;

import java.util.Locale;

/**
 * The default quality check: the answer parses, names a category of the requested taxonomy (never
 * one the caller's text may have smuggled in), and its confidence is in [0,1] and at least
 * min-quality.
 */
public final class CategorizationQualityCheck implements QualityCheck<CategoryAnswer> {

    private final Taxonomy taxonomy;

    public CategorizationQualityCheck(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
    }

    @Override
    public QualityVerdict check(CategoryAnswer answer, double minQuality) {
        if (answer.error() != null) {
            return QualityVerdict.reject(answer.error());
        }
        if (!taxonomy.contains(answer.category())) {
            return QualityVerdict.reject("category '" + abbreviate(answer.category()) + "' is not in taxonomy " + taxonomy.id());
        }
        double confidence = answer.confidence();
        if (Double.isNaN(confidence) || confidence < 0 || confidence > 1) {
            return QualityVerdict.reject("confidence " + confidence + " is outside [0,1]");
        }
        if (confidence < minQuality) {
            return QualityVerdict.lowConfidence(String.format(Locale.ROOT, "confidence %.2f is below min-quality %.2f", confidence, minQuality));
        }
        return QualityVerdict.accept();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
