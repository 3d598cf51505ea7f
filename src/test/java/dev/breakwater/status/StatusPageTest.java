package dev.breakwater.status;

import dev.breakwater.admin.AdminTestProfile;
import dev.breakwater.admin.AdminUpstreams;
import dev.breakwater.admin.Gateway;
import dev.breakwater.testing.Fault;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.admin.Gateway.admin;
import static dev.breakwater.admin.Gateway.breakerState;
import static dev.breakwater.admin.GatewayYaml.CLAUDE;
import static dev.breakwater.admin.GatewayYaml.GPT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(AdminTestProfile.class)
class StatusPageTest {

    /** Where the screenshot lands; docs/status-page.png in the repository is a copy of it. */
    static final Path SCREENSHOT = Path.of("target", "status-page.png");
    private static final Pattern BREAKER_ROW = Pattern.compile("<tr data-service=\"([^\"]+)\" data-state=\"([^\"]+)\"");

    AdminUpstreams.Upstreams upstreams;

    @TestHTTPResource("/status")
    URL statusPage;

    @BeforeEach
    void baseline() {
        Gateway.baseline(upstreams);
    }

    @Test
    void pageShowsChainsBreakersTransitionsAndAnswersAndRefreshesItself() {
        openGpt();
        given().get("/status").then().statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("<meta http-equiv=\"refresh\" content=\"3\">"))
                .body(containsString("<tr data-service=\"gpt-4o\" data-state=\"open\">"))
                .body(containsString("<tr data-service=\"claude-3-sonnet\" data-state=\"closed\">"))
                .body(containsString("data-chain=\"categorizer\""))
                .body(containsString("<tr data-service=\"gpt-4o\" data-to=\"open\">"))
                .body(containsString("<tr data-source=\"llm\">"))
                .body(matchesPattern("(?s).*<td>in \\d+ s</td>.*"));
    }

    @Test
    void pageIsServedWithProtectiveHeaders() {
        given().get("/status").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store");
    }

    @Test
    void chromiumShowsTheStatesTheAdminApiReports() throws Exception {
        openGpt();
        holdClaudeHalfOpen();

        Map<String, String> shown = breakerRows(HeadlessChromium.dumpDom(statusPage));
        Map<String, String> reported = new TreeMap<>(admin().get("/admin/circuit-breakers").then().statusCode(200)
                .extract().jsonPath().getMap("collectEntries { [(it.service): it.state] }", String.class, String.class));
        assertEquals(Map.of(GPT, "open", CLAUDE, "half_open", "local", "closed", "redis", "closed"), reported);
        assertEquals(reported, shown);

        HeadlessChromium.screenshot(statusPage, SCREENSHOT);
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(png.length > 20_000, "a 1200x800 page with tables is more than a blank image: " + png.length + " bytes");
    }

    private static Map<String, String> breakerRows(String dom) {
        Map<String, String> states = new TreeMap<>();
        Matcher m = BREAKER_ROW.matcher(dom);
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }

    private void openGpt() {
        upstreams.openai().setFault(Fault.serviceUnavailable());
        Gateway.categorize("Delta flight tickets for the sales team");
        Gateway.categorize("Hotel stay in Berlin for a customer visit");
        assertEquals("open", breakerState(GPT));
    }

    /**
     * Claude opens, waits out its recovery and passes one probe of the three it needs to close. The recovery
     * (10 s) leaves a loaded machine time to see it open (the request that opens it goes on to the local model
     * first); its end is polled for, not slept through.
     */
    private void holdClaudeHalfOpen() throws InterruptedException {
        admin().contentType(ContentType.JSON).body("{\"recovery_timeout\": \"10s\", \"success_threshold\": 3}")
                .put("/admin/circuit-breakers/" + CLAUDE + "/config").then().statusCode(200);
        upstreams.anthropic().setFault(Fault.serviceUnavailable());
        Gateway.categorize("Taxi from the airport");
        Gateway.categorize("Train to the trade fair");
        assertEquals("open", breakerState(CLAUDE));
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while ("open".equals(breakerState(CLAUDE)) && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        upstreams.anthropic().setFault(Fault.ok());
        Gateway.categorize("Office chairs for the new team").body("model", equalTo(CLAUDE));
        assertEquals("half_open", breakerState(CLAUDE));
    }
}
