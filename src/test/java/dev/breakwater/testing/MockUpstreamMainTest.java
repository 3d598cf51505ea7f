package dev.breakwater.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MockUpstreamMainTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MockUpstreamMain mock;

    @BeforeEach
    void start() throws Exception {
        mock = MockUpstreamMain.start("127.0.0.1", 0, 0, Duration.ZERO);
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    @Test
    void controlPortSwitchesFaultsWhileServing() throws Exception {
        assertEquals(200, chat().statusCode());

        assertEquals(200, control("/fault/unavailable").statusCode());
        assertEquals(503, chat().statusCode());

        assertEquals(200, control("/fault/ok").statusCode());
        HttpResponse<String> recovered = chat();
        assertEquals(200, recovered.statusCode());
        assertTrue(recovered.body().contains("\"model\":\"gpt-4o\""), recovered.body());

        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(controlUri("/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(stats.body().contains("\"requests\":3"), stats.body());
        assertTrue(stats.body().contains("\"fault\":\"ok\""), stats.body());
    }

    @Test
    void latencyDelaysNormalAnswers() throws Exception {
        control("/latency/300");
        long start = System.nanoTime();
        assertEquals(200, chat().statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
    }

    @Test
    void unknownFaultIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> refused = control("/fault/meteor");
        assertEquals(404, refused.statusCode());
        assertTrue(refused.body().contains("unavailable"), refused.body());
        assertEquals(200, chat().statusCode());
    }

    private HttpResponse<String> chat() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mock.port() + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> control(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(controlUri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI controlUri(String path) {
        return URI.create("http://127.0.0.1:" + mock.controlPort() + path);
    }
}
