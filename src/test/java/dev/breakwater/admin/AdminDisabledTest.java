package dev.breakwater.admin;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The default configuration has no admin token: the admin API does not exist, whatever is sent. */
@QuarkusTest
// The test chain's fakes, though nothing here calls an upstream: the tests share the application of the other
// tests on them instead of one of their own (each distinct set of test resources is one more build and start).
@WithTestResource(Upstreams.class)
class AdminDisabledTest {

    @Test
    void withoutAConfiguredTokenEveryAdminCallIs404() {
        given().get("/admin/circuit-breakers").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("admin API is disabled"))
                .body("detail", containsString("BREAKWATER_ADMIN_TOKEN"));
        given().header("Authorization", "Bearer anything").post("/admin/config/reload").then().statusCode(404)
                .body("status", equalTo(404));
        given().header("Authorization", "Bearer ").post("/admin/circuit-breakers/local/reset").then().statusCode(404);
    }
}
