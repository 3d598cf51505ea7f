package dev.breakwater.factors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FactorBrokerAnswersTest {

    /** As strict as the gateway's (StrictJson). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Test
    void aWellFormedAnswerIsAFactor() {
        Factor factor = FactorBrokerAnswers.read(JSON, "electricity_grid", 200,
                "{\"factor\": 0.207, \"unit\": \"kgCO2e/kWh\", \"reference\": \"DESNZ 2023\"}", Optional.empty());
        assertEquals(new Factor(0.207, "kgCO2e/kWh", "DESNZ 2023"), factor);
        assertEquals("", FactorBrokerAnswers.read(JSON, "x", 200, "{\"factor\": -1.5, \"unit\": \"t\"}", Optional.empty()).reference(),
                "a negative factor (a removal) is a valid number; the reference is optional");
        assertEquals(0.5, FactorBrokerAnswers.read(JSON, "x", 200, "{\"factor\": 0.5, \"unit\": \"t\"}\n%", Optional.empty()).factor(),
                "what follows the answer does not hide it");
    }

    @Test
    void notFoundIsAnAnswerThatIsNeitherRetriedNorHeldAgainstTheBreaker() {
        Failure failure = failure(404, "{\"error\":\"unknown\"}");
        assertEquals(FailureKind.NOT_FOUND, failure.kind());
        assertFalse(failure.kind().retryable());
        assertFalse(failure.kind().countsAgainstBreaker());
        assertFalse(failure.kind().fallsOver());
        assertTrue(failure.message().contains("'gas'"));
    }

    @Test
    void serverErrorsAreTransientAndKeepRetryAfter() {
        Failure failure = failureOf(503, "{\"error\":{\"message\":\"overloaded\"}}", Optional.of("2"));
        assertEquals(FailureKind.TRANSIENT, failure.kind());
        assertEquals(Optional.of(Duration.ofSeconds(2)), failure.retryAfter());
        assertEquals("overloaded", failure.message());
    }

    @Test
    void aRejectedKeyCountsAgainstTheBreakerWithoutRetries() {
        Failure failure = failure(401, "{\"error\":{\"message\":\"bad key sk-abcdefghijkl\"}}");
        assertEquals(FailureKind.MISCONFIGURED, failure.kind());
        assertFalse(failure.message().contains("sk-abcdefghijkl"), "keys echoed by the upstream are redacted");
    }

    @Test
    void answersWithoutAUsableNumberOrUnitAreBadAnswers() {
        for (String body : new String[]{"<html>proxy error</html>", "", "{\"factor\":\"0.2\",\"unit\":\"kg\"}",
                "{\"unit\":\"kg\"}", "{\"factor\":0.2}", "{\"factor\":0.2,\"unit\":\" \"}"}) {
            assertEquals(FailureKind.BAD_ANSWER, failure(200, body).kind(), body);
        }
    }

    private static Failure failure(int status, String body) {
        return failureOf(status, body, Optional.empty());
    }

    private static Failure failureOf(int status, String body, Optional<String> retryAfter) {
        return assertThrows(ClassifiedException.class, () -> FactorBrokerAnswers.read(JSON, "gas", status, body, retryAfter)).failure();
    }
}
