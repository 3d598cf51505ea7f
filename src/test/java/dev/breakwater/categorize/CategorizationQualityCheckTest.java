package dev.breakwater.categorize;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.chain.QualityVerdict;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CategorizationQualityCheckTest {

    /** As strict as the gateway's (StrictJson). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final CategorizationQualityCheck check = new CategorizationQualityCheck(BuiltInTaxonomies.ghgScope3(JSON));

    private QualityVerdict verdict(String reply) {
        return check.check(AnswerParser.parse(JSON, reply), 0.6);
    }

    @Test
    void acceptsAWellFormedConfidentAnswerInTheTaxonomy() {
        assertTrue(verdict("{\"category\":\"6\",\"confidence\":0.91}").accepted());
        assertTrue(verdict("```json\n{\"category\": 7, \"confidence\": 0.6}\n```").accepted(), "fenced, numeric id, exactly at the bar");
        assertTrue(verdict("{\"category\":\"6\",\"confidence\":0.9} (not {\"category\":\"7\"})").accepted(), "the first block is the answer");
    }

    @Test
    void rejectsMalformedAnswers() {
        assertEquals("answer is not JSON", verdict("I think it's probably travel?").reason());
        assertEquals("answer is not valid JSON", verdict("{category: 6, confidence: high}").reason());
        assertEquals("answer has no category", verdict("{\"confidence\":0.9}").reason());
        assertEquals("answer has no numeric confidence", verdict("{\"category\":\"6\",\"confidence\":\"high\"}").reason());
        assertEquals("empty answer", verdict("").reason());
        assertFalse(verdict(null).accepted());
    }

    @Test
    void rejectsCategoriesOutsideTheTaxonomyWhateverTheTextAskedFor() {
        QualityVerdict v = verdict("{\"category\":\"16\",\"confidence\":0.99}");
        assertFalse(v.accepted());
        assertEquals("category '16' is not in taxonomy ghg-scope3", v.reason());
        assertFalse(verdict("{\"category\":\"Business travel\",\"confidence\":0.99}").accepted(), "labels are not ids");
    }

    @Test
    void rejectsLowOrImpossibleConfidence() {
        assertEquals("confidence 0.59 is below min-quality 0.60", verdict("{\"category\":\"6\",\"confidence\":0.59}").reason());
        assertEquals("confidence 1.5 is outside [0,1]", verdict("{\"category\":\"6\",\"confidence\":1.5}").reason());
        assertFalse(verdict("{\"category\":\"6\",\"confidence\":-0.1}").accepted());
    }
}
