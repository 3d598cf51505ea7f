package dev.breakwater.secrets;

import dev.breakwater.testing.ChainGatewayTest;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.breakwater.testing.GatewayTestSupport.categorize;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets are redacted by value, not by shape: the primary model's key here has no {@code sk-} prefix,
 * and the fake echoes it bare in its 401, the way some proxies do.
 */
@QuarkusTest
@TestProfile(SecretRedactionTest.PlainKey.class)
@WithTestResource(Upstreams.class)
class SecretRedactionTest extends ChainGatewayTest {

    static final String KEY = "c0ffee42plainkey7b9d1e";

    public static class PlainKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.models[0].api-key-env", "TEST_PLAIN_KEY", "TEST_PLAIN_KEY", KEY);
        }
    }

    @Test
    void aKeyEchoedWithoutAnyPrefixIsRedactedFromCategorizeAttempts() {
        Upstreams.primary.setFault(Fault.invalidApiKeyEchoed());
        String raw = categorize("Delta flight tickets for the sales team").statusCode(200)
                .body("attempts[0].reason", containsString("***")).extract().asString();
        assertTrue(Upstreams.primary.lastRequest().header("authorization").contains(KEY), "the fake saw the key");
        assertFalse(raw.contains(KEY), raw);
    }

    @Test
    void aKeyEchoedWithoutAnyPrefixIsRedactedFromChatErrors() {
        Upstreams.primary.setFault(Fault.invalidApiKeyEchoed());
        String raw = given().contentType("application/json")
                .body("{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(502).extract().asString();
        assertTrue(raw.contains("***"), raw);
        assertFalse(raw.contains(KEY), raw);
    }

    @Test
    void aModelIdWithCrLfOrNulNeverHangsTheRequestNorInjectsAHeader() {
        RestAssuredConfig bounded = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        for (String id : new String[]{"openai/a\\r\\nX-Injected: 1", "openai/gpt\\u0000x"}) {
            Response response = given().config(bounded).contentType("application/json")
                    .body("{\"model\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions");
            assertTrue(response.statusCode() == 200 || response.statusCode() == 400, response.asString());
            assertNull(response.header("X-Injected"));
            String model = response.header("x-breakwater-model");
            assertTrue(model == null || model.chars().noneMatch(Character::isISOControl), model);
        }
    }
}
