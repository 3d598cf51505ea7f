package dev.breakwater.api;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Caller mistakes get a 4xx problem document naming what to fix, never a 500, and no model is called. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class CategorizeValidationTest {

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().contentType("application/json").body(body).post("/v1/categorize").then();
    }

    @Test
    void invalidJsonIs400SayingWhere() {
        Upstreams.restoreDefaults();
        post("{\"text\": ").statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("not valid JSON"));
        assertEquals(0, Upstreams.primary.requestCount());
    }

    @Test
    void validJsonBeyondTheParsersLimitsIs400NamingTheLimit() {
        Upstreams.restoreDefaults();
        post("{\"text\":\"flight\",\"x\":" + "[".repeat(1001) + "]".repeat(1001) + "}").statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("request body is beyond the gateway's JSON limits: arrays and objects nested more than 1000 levels deep"));
        assertEquals(0, Upstreams.primary.requestCount());
    }

    @Test
    void missingOrBlankTextNamesTheField() {
        post("{}").statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("text")).body("detail", containsString("'text' is required"))
                // the same reason in OpenAI's shape, so OpenAI SDKs print it
                .body("error.message", containsString("'text' is required"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("text"));
        post("{\"text\":\"   \"}").statusCode(400).body("field", equalTo("text"));
        post("{\"text\":null}").statusCode(400).body("field", equalTo("text"));
    }

    @Test
    void wrongShapeIs400() {
        post("[\"a\"]").statusCode(400).contentType("application/problem+json").body("detail", containsString("JSON object"));
        post("{\"text\":{\"nested\":true}}").statusCode(400).body("field", equalTo("text"));
    }

    @Test
    void textMustBeAJsonStringNotANumberOrBoolean() {
        Upstreams.restoreDefaults();
        post("{\"text\":123}").statusCode(400).contentType("application/problem+json").body("field", equalTo("text"));
        post("{\"text\":true}").statusCode(400).body("field", equalTo("text"));
        post("{\"text\":\"flight\",\"taxonomy\":7}").statusCode(400).body("field", equalTo("taxonomy"));
        assertEquals(0, Upstreams.primary.requestCount());
    }

    @Test
    void trailingContentAfterTheJsonDocumentIs400() {
        Upstreams.restoreDefaults();
        post("{\"text\":\"flight\"} garbage").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        post("{\"text\":\"flight\"}{\"text\":\"x\"}").statusCode(400);
        assertEquals(0, Upstreams.primary.requestCount());
    }

    @Test
    void textOfOnlyControlAndZeroWidthCharactersIs400AndCallsNoModel() {
        Upstreams.restoreDefaults();
        post("{\"text\":\"\\u200b\\u200c\\u200d\\ufeff\\u2060\"}").statusCode(400)
                .body("field", equalTo("text")).body("detail", containsString("no visible characters"));
        post("{\"text\":\"\\u0000\\u0007 \\u200b\\t\"}").statusCode(400).body("field", equalTo("text"));
        assertEquals(0, Upstreams.primary.requestCount());
    }

    @Test
    void textOverTheLimitNamesFieldAndLimit() {
        post("{\"text\":\"" + "a".repeat(8193) + "\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("text"))
                .body("limit", equalTo(8192))
                .body("detail", containsString("8193 bytes; the limit is 8192 bytes"));
    }

    @Test
    void multiByteTextIsMeasuredInBytes() {
        post("{\"text\":\"" + "é".repeat(4097) + "\"}").statusCode(400).body("detail", containsString("8194 bytes"));
    }

    @Test
    void unknownTaxonomyListsTheAvailableOnes() {
        post("{\"text\":\"paper\",\"taxonomy\":\"nope\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("taxonomy"))
                .body("available", hasItem("ghg-scope3"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        post("{\"text\":\"" + "a".repeat(70_000) + "\"}").statusCode(413)
                .contentType("application/problem+json")
                .body("limit", equalTo(65536))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("the limit is 65536 bytes"));
    }

    @Test
    void wrongContentTypeIs415ProblemNot500() {
        given().contentType("text/plain").body("hello").post("/v1/categorize").then()
                .statusCode(415).contentType("application/problem+json");
    }
}
