package dev.breakwater.providers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderErrorsTest {

    /** As strict as the gateway's (StrictJson). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static String openAiError(String type, String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code + "\"}}";
    }

    @Test
    void rateLimitIsTransientAndCarriesRetryAfter() {
        Failure f = ProviderErrors.classify(JSON, 429, openAiError("requests", "rate_limit_exceeded", "Rate limit reached"), "7");
        assertEquals(FailureKind.TRANSIENT, f.kind());
        assertEquals(Optional.of(Duration.ofSeconds(7)), f.retryAfter());
        assertEquals("Rate limit reached", f.message());
        assertEquals(429, f.httpStatus());
    }

    @Test
    void serverErrorsAndOverloadAreTransient() {
        assertEquals(FailureKind.TRANSIENT, ProviderErrors.classify(JSON, 503, "upstream down", null).kind());
        assertEquals(FailureKind.TRANSIENT, ProviderErrors.classify(JSON, 500, "", null).kind());
        assertEquals(FailureKind.TRANSIENT, ProviderErrors.classify(JSON, 529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", null).kind());
    }

    @Test
    void contextLengthFallsOverWithoutBlamingTheModel() {
        Failure f = ProviderErrors.classify(JSON, 400, openAiError("invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens"), null);
        assertEquals(FailureKind.CONTEXT_LENGTH, f.kind());
        assertFalse(f.kind().retryable());
        assertFalse(f.kind().countsAgainstBreaker());
        assertTrue(f.kind().fallsOver());
        assertEquals(FailureKind.CONTEXT_LENGTH, ProviderErrors.classify(JSON, 400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 250000 tokens\"}}", null).kind());
    }

    @Test
    void contentPolicyRefusalStopsTheChainByDefault() {
        Failure openAi = ProviderErrors.classify(JSON, 400, openAiError("invalid_request_error", "content_policy_violation",
                "Your request was rejected as a result of our safety system."), null);
        assertEquals(FailureKind.CONTENT_POLICY, openAi.kind());
        assertEquals("Your request was rejected as a result of our safety system.", openAi.message());
        assertFalse(openAi.kind().fallsOver());
        assertFalse(openAi.kind().retryable());
        Failure anthropic = ProviderErrors.classify(JSON, 400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Output blocked by content filtering policy\"}}", null);
        assertEquals(FailureKind.CONTENT_POLICY, anthropic.kind());
    }

    @Test
    void authAndNotFoundAreMisconfigurationNotRetried() {
        Failure f = ProviderErrors.classify(JSON, 401, openAiError("invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-abc123456789"), null);
        assertEquals(FailureKind.MISCONFIGURED, f.kind());
        assertFalse(f.kind().retryable());
        assertTrue(f.kind().countsAgainstBreaker());
        assertFalse(f.message().contains("sk-abc123456789"), f.message());
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 403, "", null).kind());
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 404, "", null).kind());
    }

    @Test
    void anInvalidRequestIsTheCallersErrorWithTheUpstreamsParamAndCode() {
        String body = "{\"error\":{\"message\":\"-5 is less than the minimum of 0 - 'temperature'\","
                + "\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}";
        for (int status : new int[]{400, 422}) {
            Failure f = ProviderErrors.classify(JSON, status, body, null);
            assertEquals(FailureKind.CALLER_ERROR, f.kind(), "status " + status);
            assertFalse(f.kind().retryable());
            assertFalse(f.kind().countsAgainstBreaker());
            assertFalse(f.kind().fallsOver());
            assertEquals("temperature", f.upstreamError().param());
            assertEquals("invalid_value", f.upstreamError().code());
            assertEquals("invalid_request_error", f.upstreamError().type());
        }
        // A 404 about something the caller referenced (not the model) is the caller's too.
        assertEquals(FailureKind.CALLER_ERROR, ProviderErrors.classify(JSON, 404,
                openAiError("invalid_request_error", null, "No file found with id 'file-abc'."), null).kind());
    }

    @Test
    void aMissingModelOrWrongUrlIsOurConfigurationNotTheCallers() {
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 404,
                openAiError("invalid_request_error", "model_not_found", "The model `gpt-9` does not exist or you do not have access to it."),
                null).kind());
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 404, "<html>Not Found</html>", null).kind());
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 400,
                "{\"error\":{\"message\":\"invalid model ID\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":null}}",
                null).kind());
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 401,
                openAiError("invalid_request_error", "invalid_api_key", "Incorrect API key provided"), null).kind());
        // Anthropic names a missing model not_found_error: not an invalid request of the caller's.
        assertEquals(FailureKind.MISCONFIGURED, ProviderErrors.classify(JSON, 404,
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-9\"}}", null).kind());
    }

    @Test
    void whatFollowsTheErrorObjectDoesNotHideIt() {
        Failure f = ProviderErrors.classify(JSON, 400, openAiError("invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens") + "\n<!-- upstream proxy -->", null);
        assertEquals(FailureKind.CONTEXT_LENGTH, f.kind());
        assertEquals("This model's maximum context length is 8192 tokens", f.message());
    }

    @Test
    void secretsInTheCallersErrorAreRedacted() {
        Failure f = ProviderErrors.classify(JSON, 400, "{\"error\":{\"message\":\"bad key sk-abcdef1234567890 in user\","
                + "\"type\":\"invalid_request_error\",\"param\":\"sk-abcdef1234567890\",\"code\":null}}", null);
        assertEquals(FailureKind.CALLER_ERROR, f.kind());
        assertFalse(f.message().contains("sk-abcdef1234567890"), f.message());
        assertFalse(f.upstreamError().param().contains("sk-abcdef1234567890"), f.upstreamError().param());
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertEquals(Optional.of(Duration.ofMillis(1500)), ProviderErrors.parseRetryAfter("1.5", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), ProviderErrors.parseRetryAfter("Sat, 28 Nov 2026 12:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), ProviderErrors.parseRetryAfter("Sat, 28 Nov 2026 11:00:00 GMT", now));
        assertEquals(Optional.empty(), ProviderErrors.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), ProviderErrors.parseRetryAfter(null, now));
    }

    @Test
    void secretsAreRedactedAndLongMessagesCut() {
        String s = ProviderErrors.sanitize("bad key sk-proj-ABCDEFGH12345 and Authorization: Bearer xyz.abc");
        assertFalse(s.contains("ABCDEFGH12345"), s);
        assertFalse(s.contains("xyz.abc"), s);
        assertTrue(ProviderErrors.sanitize("x".repeat(2000)).length() <= 501);
    }
}
