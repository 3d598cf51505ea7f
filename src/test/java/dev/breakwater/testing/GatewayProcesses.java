package dev.breakwater.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Gateway replicas as their own processes, from the packaged jar ({@code target/quarkus-app/quarkus-run.jar}),
 * for the *IT classes that Failsafe runs after {@code package}. Each logs to {@code {work}/gateway-{name}.log}.
 */
public final class GatewayProcesses implements AutoCloseable {

    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Path work;
    private final List<Process> processes = new ArrayList<>();

    public GatewayProcesses(Path work) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " missing: run through mvn verify (after package)");
        }
        this.work = Files.createDirectories(work);
    }

    public Path work() {
        return work;
    }

    /** Starts a replica on a free port with {@code yaml} as its configuration; its base URL. */
    public String launch(String name, Path yaml, Map<String, String> environment) throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dquarkus.config.locations=" + yaml.toAbsolutePath(),
                "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway-" + name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.add(builder.start());
        return "http://127.0.0.1:" + port;
    }

    /** Replicas "a" and "b" on {@code yaml}, once both are live and both listen on the Redis {@code channel}; their base URLs. */
    public List<String> launchTwo(Path yaml, Map<String, String> environment, String channel)
            throws IOException, InterruptedException {
        List<String> urls = List.of(launch("a", yaml, environment), launch("b", yaml, environment));
        for (String gateway : urls) {
            await(() -> status(gateway + "/q/health/live") == 200, 30_000, gateway + " live");
        }
        await(() -> subscribers(channel) >= 2, 10_000, "both replicas subscribed to " + channel);
        return urls;
    }

    /** Polls every 100 ms until {@code condition} holds; fails at once if a replica exited. */
    public void await(BooleanSupplier condition, long maxMillis, String what) throws InterruptedException {
        long end = System.nanoTime() + maxMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new AssertionError("a gateway exited early; see " + work + "/gateway-*.log");
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + maxMillis + " ms; see " + work + "/gateway-*.log");
            }
            Thread.sleep(100);
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
