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

    /** Errors the HTTP layer raises (wrong type, bad JSON, no such path) carry OpenAI's error object too. */
    @org.junit.jupiter.api.Test
    void everyErrorUnderV1CarriesOpenAisErrorObject() {
        Response wrongType = io.restassured.RestAssured.given().contentType("text/plain").body("hi").post("/v1/chat/completions");
        Response badJson = post("{\"model\": \"chat\", ");
        Response notJsonObject = post("[1, 2]");
        Response noSuchPath = io.restassured.RestAssured.given().get("/v1/no-such-thing");
        for (Response r : java.util.List.of(wrongType, badJson, notJsonObject, noSuchPath)) {
            assertEquals("application/problem+json", r.contentType(), r.statusCode() + " " + r.asString());
            assertEquals(r.jsonPath().getString("detail"), r.jsonPath().getString("error.message"), r.asString());
            assertEquals(r.statusCode() == 404 ? "not_found_error" : "invalid_request_error", r.jsonPath().getString("error.type"));
        }
        assertEquals(415, wrongType.statusCode());
        assertEquals(400, badJson.statusCode());
        assertEquals(400, notJsonObject.statusCode());
        assertEquals(404, noSuchPath.statusCode());
        assertCounts(0, 0);
    }

    /**
     * Valid JSON the parser refuses for its limits is a 400 that names the limit, on both chat APIs, not "not valid
     * JSON", which would send the caller looking for a syntax error. (Embeddings as well: one wording for every endpoint.)
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/v1/chat/completions | nesting | arrays and objects nested more than 1000 levels deep",
            "/v1/chat/completions | number  | a number longer than 1000 characters",
            "/v1/messages         | nesting | arrays and objects nested more than 1000 levels deep",
            "/v1/messages         | number  | a number longer than 1000 characters",
            "/v1/embeddings       | nesting | arrays and objects nested more than 1000 levels deep"})
    void validJsonBeyondTheParsersLimitsNamesTheLimit(String path, String beyond, String detail) {
        String value = beyond.equals("nesting") ? "[".repeat(1001) + "]".repeat(1001) : "1".repeat(1001);
        Response r = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"model\":\"chat\",\"max_tokens\":5," + MESSAGES + ",\"x\":" + value + "}").post(path);
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("request body is beyond the gateway's JSON limits: " + detail, r.jsonPath().getString("detail"));
        assertEquals("invalid_request_error", r.jsonPath().getString("error.type"));
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
