package dev.breakwater.factors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.Optional;

/**
 * Reads the broker's HTTP answer. A 404 is the broker saying "no such category" ({@link FailureKind#NOT_FOUND}:
 * relayed, never held against the breaker); other errors are classified like any upstream's; a 200
 * without a usable number is a bad answer, so it is never cached or served.
 */
final class FactorBrokerAnswers {

    private FactorBrokerAnswers() {
    }

    static Factor read(ObjectMapper json, String category, int status, String body, Optional<String> retryAfter) {
        if (status == 404) {
            throw new ClassifiedException(new Failure(FailureKind.NOT_FOUND, 404,
                    "the factor broker has no factor for category '" + category + "'", Optional.empty()));
        }
        if (status / 100 != 2) {
            throw new ClassifiedException(ProviderErrors.classify(json, status, body, retryAfter.orElse(null)));
        }
        JsonNode root;
        try {
            // The mapper's refusal of trailing content is for request bodies: what follows the factor does not hide it.
            root = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (Exception e) {
            throw badAnswer("the factor broker's answer is not JSON");
        }
        JsonNode factor = root.path("factor");
        if (!factor.isNumber() || !Double.isFinite(factor.asDouble())) {
            throw badAnswer("the factor broker's answer has no numeric 'factor'");
        }
        String unit = root.path("unit").asText("");
        if (unit.isBlank()) {
            throw badAnswer("the factor broker's answer has no 'unit'");
        }
        return new Factor(factor.asDouble(), unit, root.path("reference").asText(""));
    }

    private static ClassifiedException badAnswer(String message) {
        return new ClassifiedException(new Failure(FailureKind.BAD_ANSWER, 200, message, Optional.empty()));
    }
}
