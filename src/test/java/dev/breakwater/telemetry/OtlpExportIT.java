package dev.breakwater.telemetry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing switched on the way an operator does it, with Quarkus' own keys only, against an OTLP/HTTP
 * receiver on loopback: the packaged gateway starts without warnings and exports the request's spans.
 */
// Alone on the machine (the other ITs run two at a time, pom.xml): a start slowed by another IT could log a warning
// (a blocked-thread one, say) that is not the gateway's.
@Isolated
class OtlpExportIT {

    @Test
    void quarkusOwnKeysSendTheSpansToAnOtlpHttpReceiver() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            synchronized (received) {
                received.writeBytes(body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (PackagedGateway gateway = PackagedGateway.start("otlp-export", Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"))) {
            assertEquals(List.of(), CleanStartupIT.warnings(gateway.output().lines()
                    .takeWhile(l -> !l.contains("Listening on")).toList()), "warnings on a start with tracing on");

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(gateway.url() + "/v1/categorize"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Train to Lyon " + UUID.randomUUID() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());

            // OTLP protobuf carries names and attribute keys as plain UTF-8. The server span ends after the
            // response, so it may come in a later batch than the attempts.
            List<String> expected = List.of("POST /v1/categorize", "chat local", "chat gpt-4o", "gen_ai.operation.name",
                    "gen_ai.provider.name", "breakwater.attempt.outcome", "skipped_not_configured", "breakwater");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!expected.stream().allMatch(exported(received)::contains) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            String spans = exported(received);
            for (String text : expected) {
                assertTrue(spans.contains(text), "no " + text + " in the exported spans; requests: " + paths);
            }
            assertTrue(paths.stream().allMatch(p -> p.equals("POST /v1/traces application/x-protobuf")), paths.toString());
        } finally {
            receiver.stop(0);
        }
    }

    private static String exported(ByteArrayOutputStream received) {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
