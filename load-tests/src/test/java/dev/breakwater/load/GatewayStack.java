package dev.breakwater.load;

import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * What a load run talks to: the packaged gateway (../target/quarkus-app) as its own JVM, in front of
 * two {@link FakeUpstream}s, {@value #PRIMARY} then {@value #SECONDARY}, with the local model last.
 * The answer cache is off so every request goes through the chain.
 */
final class GatewayStack implements AutoCloseable {

    static final String PRIMARY = "primary";
    static final String SECONDARY = "secondary";

    /** The load-tests directory (Maven may be started from the repository root with -f). */
    private static final Path BASEDIR = Path.of(System.getProperty("load.basedir", "."));
    private static final Path GATEWAY_JAR = BASEDIR.resolve("../target/quarkus-app/quarkus-run.jar").normalize();
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    final FakeUpstream primary;
    final FakeUpstream secondary;
    private final LoadProfile profile;
    private final Process gateway;
    private final String baseUrl;

    private GatewayStack(LoadProfile profile, FakeUpstream primary, FakeUpstream secondary, Process gateway, String baseUrl) {
        this.profile = profile;
        this.primary = primary;
        this.secondary = secondary;
        this.gateway = gateway;
        this.baseUrl = baseUrl;
    }

    static GatewayStack start(LoadProfile profile) {
        return start(profile, CallerKeys.NONE);
    }

    /** The stack with caller keys on: {@code keys} are declared in the YAML, their secrets in the gateway's environment. */
    static GatewayStack start(LoadProfile profile, CallerKeys keys) {
        if (!Files.isRegularFile(GATEWAY_JAR)) {
            throw new IllegalStateException(GATEWAY_JAR.toAbsolutePath().normalize()
                    + " is missing: build the gateway first (./mvnw package -DskipTests)");
        }
        FakeUpstream primary = upstream(profile);
        FakeUpstream secondary = upstream(profile);
        try {
            int port = freePort();
            Path config = writeConfig(profile, primary, secondary, keys);
            Path log = BASEDIR.resolve("target/gateway.log");
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                    "-Dquarkus.http.port=" + port,
                    "-jar", GATEWAY_JAR.toAbsolutePath().toString()));
            // The gateway reads config/gateway.yaml relative to its working directory: run it where the
            // load-test configuration sits (a second quarkus.config.locations would merge with the first).
            ProcessBuilder builder = new ProcessBuilder(command).directory(config.getParent().getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("LOAD_TEST_API_KEY", "load-test-key");
            builder.environment().putAll(keys.environment());
            Process process = builder.start();
            String baseUrl = "http://127.0.0.1:" + port;
            GatewayStack stack = new GatewayStack(profile, primary, secondary, process, baseUrl);
            stack.awaitReady(log);
            stack.warmUp(keys.warmUpKey());
            return stack;
        } catch (IOException e) {
            primary.close();
            secondary.close();
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    void primaryFails() {
        primary.setFault(Fault.serviceUnavailable());
    }

    void primaryRecovers() {
        primary.setFault(healthy(profile));
    }

    @Override
    public void close() {
        gateway.destroy();
        try {
            gateway.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        primary.close();
        secondary.close();
    }

    /** A healthy upstream answers after the profile's latency; load runs only count requests. */
    private static FakeUpstream upstream(LoadProfile profile) {
        return FakeUpstream.start().recordRequests(false).setFault(healthy(profile));
    }

    private static Fault healthy(LoadProfile profile) {
        return profile.upstreamLatency().isZero() ? Fault.ok() : Fault.slowFirstByte(profile.upstreamLatency());
    }

    private void awaitReady(Path log) {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + gateway.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("the gateway was not ready within " + START_LIMIT + "; see " + log.toAbsolutePath());
    }

    /**
     * A cold JVM answers its first requests in hundreds of milliseconds (class loading, JIT): send
     * some sequentially before the measured run, which still starts with its own warmup phase.
     */
    private void warmUp(String key) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/categorize"))
                .header("Content-Type", "application/json");
        if (!key.isEmpty()) {
            builder.header("x-api-key", key);
        }
        HttpRequest request = builder
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Warm-up: train ticket to Brussels\"}")).build();
        long deadline = System.nanoTime() + WARM_UP.toNanos();
        for (int i = 0; i < 300 && System.nanoTime() < deadline; i++) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // whatever the answer, the code paths got exercised
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path writeConfig(LoadProfile profile, FakeUpstream primary, FakeUpstream secondary, CallerKeys keys)
            throws IOException {
        String yaml = """
                breakwater:
                  request-deadline: 10s
                  resilience:
                    circuit-breaker: {failure-threshold: 5, recovery-timeout: %ds, success-threshold: 2}
                    retry: {max-retries: 0, base-delay: 10ms, max-delay: 10ms, exponential-base: 2, min-delay: 10ms}
                    timeout: {default: 2s, llm-api: 2s, factor-broker: 2s, erp-connector: 2s}
                  models:
                    - {name: %s, provider: openai, model: gpt-4o, base-url: '%s/v1', api-key-env: LOAD_TEST_API_KEY, timeout: 2s}
                    - {name: %s, provider: openai, model: gpt-4o-mini, base-url: '%s/v1', api-key-env: LOAD_TEST_API_KEY, timeout: 2s}
                    - {name: local, provider: local, model: all-minilm-l6-v2-q, timeout: 5s}
                  chains:
                    categorizer: {models: [%s, %s, local]}
                  cache: {enabled: false}
                """.formatted(profile.recoveryTimeout().toSeconds(), PRIMARY, primary.baseUrl(), SECONDARY,
                secondary.baseUrl(), PRIMARY, SECONDARY) + keys.yaml();
        Path file = BASEDIR.resolve("target/config/gateway.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, yaml);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
