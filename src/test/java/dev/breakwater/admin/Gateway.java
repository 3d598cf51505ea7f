package dev.breakwater.admin;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.List;

import static io.restassured.RestAssured.given;

/** The calls the admin and status tests make against the running gateway. */
public final class Gateway {

    private Gateway() {
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + AdminUpstreams.TOKEN);
    }

    public static ValidatableResponse categorize(String text) {
        return given().contentType(ContentType.JSON).body("{\"text\":\"" + text + "\"}")
                .post("/v1/categorize").then().statusCode(200);
    }

    /** The models tried, in order, for one categorization request. */
    public static List<String> attemptedModels(String text) {
        return categorize(text).extract().jsonPath().getList("attempts.model", String.class);
    }

    public static String breakerState(String service) {
        return admin().get("/admin/circuit-breakers").then().statusCode(200)
                .extract().jsonPath().getString("find { it.service == '" + service + "' }.state");
    }

    public static void reload() {
        admin().post("/admin/config/reload").then().statusCode(200);
    }

    /** Back to the baseline file and chains, fakes answering, every breaker closed. */
    public static void baseline(AdminUpstreams.Upstreams upstreams) {
        upstreams.restoreDefaults();
        upstreams.write(upstreams.baseline());
        reload();
        admin().post("/admin/circuit-breakers/reset").then().statusCode(200);
    }
}
