package dev.breakwater.api;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP layer's own refusals (bodies over the limit without Content-Length, huge headers, long URLs)
 * are problem+json with OpenAI's error object too, never a bare status line. Raw sockets: an HTTP
 * client library would refuse to send most of these requests.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class HttpLayerErrorsTest {

    private static String exchange(String head, byte[] body, boolean chunked) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (chunked) {
                    for (int off = 0; off < body.length; off += 64 * 1024) {
                        int n = Math.min(64 * 1024, body.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before the whole body is sent: read what it said
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertProblem(String response, int status) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
        assertTrue(response.contains("\"status\":" + status), response);
        assertTrue(response.contains("\"error\":{\"message\":"), response);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemJson() throws IOException {
        byte[] body = ("{\"text\":\"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        String response = exchange("POST /v1/categorize HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", body, true);
        assertProblem(response, 413);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsStillServed() throws IOException {
        byte[] body = "{\"text\":\"Delta flight tickets for the sales team\"}".getBytes(StandardCharsets.US_ASCII);
        String response = exchange("POST /v1/categorize HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", body, true);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("\"category\":\"6\""), response);
    }

    @Test
    void hugeHeadersAre431ProblemJson() throws IOException {
        String response = exchange("GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(30_000)
                + "\r\nConnection: close\r\n\r\n", new byte[0], false);
        assertProblem(response, 431);
    }

    @Test
    void aLongUrlIs414ProblemJson() throws IOException {
        String response = exchange("GET /v1/factors/" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0], false);
        assertProblem(response, 414);
    }

    @Test
    void refusedRequestsDoNotAddAMetricSeriesPerPath() throws IOException {
        String invented = "/made-up-" + java.util.UUID.randomUUID();
        assertProblem(exchange("GET " + invented + "/" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0], false), 414);
        assertProblem(exchange("GET " + invented + " HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(30_000)
                + "\r\nConnection: close\r\n\r\n", new byte[0], false), 431);
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
        assertTrue(!metrics.contains(invented), "a refused request's raw path became a metric tag");
        assertTrue(metrics.contains("uri=\"REJECTED\""), "refusals are counted under one tag");
    }
}
