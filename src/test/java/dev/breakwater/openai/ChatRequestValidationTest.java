package dev.breakwater.openai;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The gateway's own fields are checked before anything is sent: a 400 naming the field, no upstream call. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class ChatRequestValidationTest extends OpenAiApiTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CR/LF in model          | {\"model\":\"chat\\r\\nX-Forged: 1\"," + MESSAGES + "}                         | model",
            "tab in model            | {\"model\":\"ch\\tat\"," + MESSAGES + "}                                       | model",
            "model not a string      | {\"model\":42," + MESSAGES + "}                                                | model",
            "empty model             | {\"model\":\"\"," + MESSAGES + "}                                              | model",
            "no model                | {" + MESSAGES + "}                                                               | model",
            "stream as a string      | {\"model\":\"chat\",\"stream\":\"true\"," + MESSAGES + "}                      | stream",
            "include_usage as number | {\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":1}," + MESSAGES + "} | stream_options.include_usage",
            "fallbacks not a list    | {\"model\":\"chat\",\"fallbacks\":\"secondary\"," + MESSAGES + "}              | fallbacks",
            "five fallbacks          | {\"model\":\"chat\",\"fallbacks\":[\"a\",\"b\",\"c\",\"d\",\"e\"]," + MESSAGES + "} | fallbacks",
            "LF in a fallback        | {\"model\":\"chat\",\"fallbacks\":[\"secondary\\n\"]," + MESSAGES + "}          | fallbacks[0]",
            "messages missing        | {\"model\":\"chat\"}                                                             | messages",
            "messages not a list     | {\"model\":\"chat\",\"messages\":\"hi\"}                                          | messages",
    })
    void refusedAtOnceNamingTheField(String name, String body, String field) {
        Response r = post(body);
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(field, r.jsonPath().getString("field"));
        assertEquals(field, r.jsonPath().getString("error.param"));
        assertEquals("invalid_request_error", r.jsonPath().getString("error.type"));
        assertFalse(r.asString().contains("X-Forged"), "the bad value is not echoed");
        assertCounts(0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "257 characters | 257",
            "256 characters | 256"})
    void modelNamesAreCappedAt256Characters(String name, int length) {
        Response r = post("{\"model\":\"" + "m".repeat(length) + "\"," + MESSAGES + "}");
        assertEquals(400, r.statusCode(), r.asString());
        // 256 is a valid name that names nothing: the unknown-model answer, not the length one.
        assertEquals(length > 256 ? "256" : null, r.jsonPath().getString("limit"));
        assertCounts(0, 0);
    }
}
