package dev.breakwater.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.io.OutputStream;
import java.io.InputStream;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Gateway replicas as processes of the packaged jar ({@code target/quarkus-app/quarkus-run.jar}, so only in
 * Failsafe ITs after {@code package}), each on a free port with a log in the work directory, and the HTTP
 * calls the fleet tests make to them.
 */
public final class GatewayProcesses implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    public static final String KEY_ENV = "BREAKWATER_IT_KEY";
    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path work;
    private final List<Process> processes = new ArrayList<>();

    public GatewayProcesses(Path work) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " missing: run through mvn verify (after package)");
        this.work = work;
        Files.createDirectories(work);
    }

    public Path work() {
        return work;
    }

    /** Starts a replica with the YAML and extra {@code -D} properties; returns its base URL (not yet ready). */
    public String launch(String name, Path yaml, Map<String, String> properties) throws IOException {
        return launch(name, yaml, properties, Map.of());
    }

    /** As {@link #launch(String, Path, Map)}, with extra environment variables (secrets a replica reads from its environment). */
    public String launch(String name, Path yaml, Map<String, String> properties, Map<String, String> environment)
            throws IOException {
        return launch(name, yaml, properties, environment, List.of());
    }

    /** As {@link #launch(String, Path, Map, Map)}, with extra JVM options (e.g. {@code -XX:AOTCache=...}). */
    public String launch(String name, Path yaml, Map<String, String> properties, Map<String, String> environment,
            List<String> jvmOptions) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dquarkus.config.locations=" + yaml.toAbsolutePath()));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway-" + name + ".log").toFile());
        builder.environment().put(KEY_ENV, "sk-it-" + UUID.randomUUID());
        builder.environment().putAll(environment);
        processes.add(builder.start());
        return "http://127.0.0.1:" + port;
    }

    /** Replicas "a" and "b" on {@code yaml}, once both are ready and both listen on the Redis {@code channel}; their base URLs. */
    public List<String> launchTwo(Path yaml, Map<String, String> environment, String channel)
            throws IOException, InterruptedException {
        List<String> urls = List.of(launch("a", yaml, Map.of(), environment), launch("b", yaml, Map.of(), environment));
        awaitReady(urls);
        await(() -> subscribers(channel) >= 2, 10_000, "both replicas subscribed to " + channel);
        return urls;
    }

    public void awaitReady(List<String> gateways) throws InterruptedException {
        for (String gateway : gateways) {
            await(() -> status(gateway + "/q/health/ready") == 200, 180_000, gateway + " ready");
        }
    }

    /** {@link Poll#await}, failing early when a replica died; the milliseconds it took. */
    public long await(BooleanSupplier condition, long maxMillis, String what) {
        return Poll.await(() -> {
            for (Process p : processes) {
                assertTrue(p.isAlive(), "a gateway exited early; see " + work + "/gateway-*.log");
            }
            return condition.getAsBoolean();
        }, maxMillis, what + " (logs: " + work + "/gateway-*.log)");
    }

    /** POST /v1/categorize: the status and body, or status -1 when the gateway did not answer. */
    public static HttpResponse<String> categorize(String gateway, String text) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/categorize"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(15))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(gateway + " did not answer: " + e, e);
        }
    }

    /** A field of {@code service}'s entry in the gateway's /health/circuit-breakers, as text. */
    public static String breakerField(String gateway, String service, String field) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/health/circuit-breakers"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return JsonPath.from(body).getString("breakers.find { it.service == '" + service + "' }." + field);
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A field of check {@code check}'s data in the gateway's {@code /q/health/ready} (UP or DOWN alike), as text. */
    public static String readinessData(String gateway, String check, String field) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return JsonPath.from(body).getString("checks.find { it.name == '" + check + "' }.data." + field);
        } catch (IOException | RuntimeException e) {
            return "unreadable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code PUBSUB NUMSUB channel} on 127.0.0.1:6379 over a bare RESP socket: the test needs no Redis client of its own. */
    public static long subscribers(String channel) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write(("*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n$" + channel.length() + "\r\n" + channel + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Reply: *2 $len channel :count — the count is the last line.
            String reply = "";
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[512];
            while (!reply.matches("(?s).*\r\n:\\d+\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    return -1;
                }
                reply += new String(buffer, 0, n, StandardCharsets.US_ASCII);
            }
            String[] lines = reply.trim().split("\r\n");
            return Long.parseLong(lines[lines.length - 1].substring(1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
