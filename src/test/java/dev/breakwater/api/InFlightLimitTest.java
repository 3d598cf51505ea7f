package dev.breakwater.api;

import dev.breakwater.telemetry.Scrape;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Poll;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica holding {@code breakwater.max-in-flight} calls answers the next at once with 503, Retry-After and a
 * problem saying why, on a connection that stays usable; health and metrics still answer; and calls whose callers
 * hung up give their places back.
 */
@QuarkusTest
@TestProfile(InFlightLimitTest.TwoInFlight.class)
@WithTestResource(Upstreams.class)
class InFlightLimitTest {

    public static class TwoInFlight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.max-in-flight", "2");
        }
    }

    private static final String CHAT = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void pastTheLimitCallsAreShedWith503UntilPlacesAreGivenBack() throws Exception {
        Upstreams.primary.setFault(Fault.ok());
        given().contentType("application/json").body(CHAT).post("/v1/chat/completions").then().statusCode(200);
        assertEquals(0, inFlight(), "a finished call gave its place back");
        double shedBefore = Scrape.now().value("breakwater_requests_shed_total");

        Upstreams.primary.setFault(Fault.hangUntilClientLeaves());
        long before = Upstreams.primary.totalRequests();
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                holders.add(hold());
            }
            Poll.await(() -> Upstreams.primary.totalRequests() >= before + 2, 10_000, "both held calls reached the upstream");

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) { // one kept-alive connection: a refusal must not leave it stuck
                HttpResponse<String> shed = client.send(HttpRequest.newBuilder(URI.create(gateway + "v1/chat/completions"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, shed.statusCode(), shed.body());
                assertEquals("1", shed.headers().firstValue("Retry-After").orElse(null));
                assertEquals(Problem.MEDIA_TYPE, shed.headers().firstValue("Content-Type").orElse(null));
                JsonPath problem = JsonPath.from(shed.body());
                assertEquals(2, problem.getInt("limit"));
                assertEquals("gateway_at_capacity", problem.getString("error.code"));
                assertTrue(problem.getString("detail").contains("breakwater.max-in-flight"), shed.body());
            }
            assertEquals(2, inFlight());
            assertEquals(shedBefore + 3, Scrape.now().value("breakwater_requests_shed_total"));
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            for (Socket s : holders) {
                s.close();
            }
        }
        Poll.await(() -> inFlight() == 0, 10_000, "the callers that hung up gave their places back");
        Upstreams.primary.setFault(Fault.ok());
        given().contentType("application/json").body(CHAT).post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void unsetTheLimitIsWhatTheHeapHoldsAtTwentyFourKilobytesACall() {
        assertEquals((320 - 64) * 1024 / 24, InFlightLimit.autoLimit(320L * 1024 * 1024));
        assertEquals(64, InFlightLimit.autoLimit(32L * 1024 * 1024), "never fewer than 64");
        assertEquals(2.0, Scrape.now().value("breakwater_requests_in_flight_limit"), "the configured limit wins");
    }

    private static double inFlight() {
        return Scrape.now().value("breakwater_requests_in_flight");
    }

    /** A chat call left open: its caller neither reads nor hangs up until the socket is closed. */
    private Socket hold() throws Exception {
        Socket caller = new Socket(gateway.getHost(), gateway.getPort());
        byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
        OutputStream out = caller.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return caller;
    }
}
