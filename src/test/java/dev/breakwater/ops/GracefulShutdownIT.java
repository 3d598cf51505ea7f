package dev.breakwater.ops;

import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM with the shipped defaults (no shutdown setting on the command line, as {@code bin/run} starts
 * it): requests in flight finish, new ones and readiness are refused at once. The packaged jar in front
 * of a FakeUpstream answering after 2 s. Runs in {@code verify} (Failsafe), after {@code package}.
 */
// Alone on the machine (the other ITs run two at a time, pom.xml): its readiness check comes 300 ms after SIGTERM.
@Isolated
class GracefulShutdownIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path WORK = Path.of("target/graceful-shutdown-it");
    private static final int IN_FLIGHT = 50;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static FakeUpstream upstream;
    private static Process gateway;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: run through mvn verify (after package)");
        upstream = FakeUpstream.start();
        Files.createDirectories(WORK);
        Path yaml = WORK.resolve("gateway.yaml");
        Files.writeString(yaml, """
                breakwater:
                  request-deadline: 20s
                  min-quality: 0.0
                  categorize: {chain: categorizer}
                  resilience:
                    retry: {max-retries: 0}
                    timeout: {default: 10s, llm-api: 10s}
                  models:
                    - {name: primary, provider: openai, model: gpt-4o, base-url: "%s/v1", api-key-env: SHUTDOWN_IT_KEY}
                    - {name: local, provider: local}
                  chains:
                    categorizer: {models: [primary, local]}
                  cache: {enabled: false}
                """.formatted(upstream.baseUrl()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dquarkus.config.locations=" + yaml.toAbsolutePath(),
                "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(WORK.resolve("gateway.log").toFile());
        builder.environment().put("SHUTDOWN_IT_KEY", "sk-it-" + UUID.randomUUID());
        gateway = builder.start();
        base = "http://127.0.0.1:" + port;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // as GatewayProcesses: a loaded machine starts slowly
        while (status("/q/health/ready") != 200) {
            assertTrue(gateway.isAlive() && System.nanoTime() < end, "gateway not ready; see " + WORK + "/gateway.log");
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void sigtermLetsEveryRequestInFlightFinishAndTurnsReadinessDownAtOnce() throws Exception {
        upstream.setFault(Fault.slowFirstByte(Duration.ofSeconds(2)));
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/categorize"))
                    .timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Delta flight tickets, trip " + i + "\"}")).build();
            inFlight.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        assertTrue(upstream.awaitRequests(IN_FLIGHT, Duration.ofSeconds(30)), "all requests reached the upstream");

        gateway.destroy(); // SIGTERM
        // Asked right after the signal (the upstream still has well over a second to go): not ready any more.
        Thread.sleep(300);
        int readiness = status("/q/health/ready");
        assertTrue(readiness == 503 || readiness == -1, "readiness during the drain: " + readiness);

        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> response = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"source\":\"llm\""), "answered by the upstream: " + response.body());
            ok++;
        }
        assertEquals(IN_FLIGHT, ok);
        assertTrue(gateway.waitFor(40, TimeUnit.SECONDS), "the gateway exits once drained");
    }

    private static int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
