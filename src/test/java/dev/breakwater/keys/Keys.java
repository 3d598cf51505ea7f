package dev.breakwater.keys;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The keys tests' HTTP steps: the admin key API and keyed chat and categorize calls. */
final class Keys {

    private Keys() {
    }

    static String uniqueName(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a key through the admin API; the answer holds its id and (this once) its secret. */
    static JsonPath create(Map<String, Object> settings) {
        return given().header("Authorization", "Bearer " + KeysProfile.ADMIN).contentType(ContentType.JSON).body(settings)
                .post("/admin/keys").then().statusCode(201).extract().jsonPath();
    }

    static Response admin(String method, String path, Object body) {
        var request = given().header("Authorization", "Bearer " + KeysProfile.ADMIN);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(method, path);
    }

    static Response chat(String secret, String model, String... fallbacks) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hello"))));
        if (fallbacks.length > 0) {
            body.put("fallbacks", Arrays.asList(fallbacks));
        }
        var request = given().contentType(ContentType.JSON).body(body);
        if (secret != null) {
            request = request.header("Authorization", "Bearer " + secret);
        }
        return request.post("/v1/chat/completions");
    }

    /** Anthropic's Messages API, with the key the way Anthropic's SDKs send it. */
    static Response messages(String secret, String model) {
        return given().contentType(ContentType.JSON).header("x-api-key", secret)
                .body(Map.of("model", model, "max_tokens", 64, "messages", List.of(Map.of("role", "user", "content", "hello"))))
                .post("/v1/messages");
    }

    static Response categorize(String secret) {
        return given().header("x-api-key", secret).contentType(ContentType.JSON)
                .body(Map.of("text", "Delta flight tickets " + UUID.randomUUID())).post("/v1/categorize");
    }
}
