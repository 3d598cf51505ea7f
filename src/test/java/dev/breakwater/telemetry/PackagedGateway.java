package dev.breakwater.telemetry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package} before the
 * *IT classes run) started as an operator starts it: {@code java -jar} from the repository root, so on
 * config/gateway.yaml, without API keys or extra JVM flags, with its output in {@code log}.
 */
final class PackagedGateway implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    final int port;
    final Path log;
    private final Process process;

    private PackagedGateway(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts it with {@code env} added to a environment cleared of API keys and Quarkus settings; waits until it listens. */
    static PackagedGateway start(String name, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createDirectories(Path.of("target", "packaged-gateway")).resolve(name + ".log");
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dquarkus.http.port=" + port, "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        PackagedGateway gateway = new PackagedGateway(port, log, builder.start());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // as GatewayProcesses: a loaded machine starts slowly
        while (!gateway.output().contains("Listening on") && gateway.process.isAlive() && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        if (!gateway.output().contains("Listening on")) {
            gateway.close();
            throw new AssertionError("the gateway did not start:\n" + gateway.output());
        }
        return gateway;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
