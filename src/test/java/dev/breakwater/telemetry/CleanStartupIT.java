package dev.breakwater.telemetry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged gateway started as an operator starts it: {@code java -jar target/quarkus-app/quarkus-run.jar}
 * from the repository root, on config/gateway.yaml, without API keys and without extra JVM flags. Its
 * output up to "started" has no warning (log WARN/ERROR or JVM WARNING) and one line naming the
 * configuration file and the chains.
 */
class CleanStartupIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern CONFIG_LINE = Pattern.compile(
            ".* INFO .*configuration loaded from \\[\\S*/config/gateway\\.yaml]; chains ready: \\[default=\\[gpt-4o, "
                    + "gpt-3\\.5-turbo, claude-3-sonnet, local], categorizer=\\[gpt-4o, gpt-3\\.5-turbo, claude-3-sonnet, local]]");

    @Test
    void aDefaultStartLogsNoWarningAndNamesTheConfigurationAndTheChains() throws Exception {
        Path log = Files.createDirectories(Path.of("target", "clean-startup")).resolve("gateway.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dquarkus.http.port=" + freePort(), "-jar",
                JAR.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("QUARKUS_"));
        Process gateway = builder.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(log).contains("Listening on") && gateway.isAlive() && System.nanoTime() < until) {
                Thread.sleep(200);
            }
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
                gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(log);
        List<String> lines = output.lines().takeWhile(l -> !l.contains("Listening on")).toList();
        assertTrue(output.contains("Listening on"), "the gateway did not start:\n" + output);
        assertEquals(List.of(), lines.stream().filter(l -> l.matches(".* (WARN|ERROR) .*") || l.startsWith("WARNING")).toList(),
                "warnings on a default start");
        assertEquals(1, lines.stream().filter(l -> CONFIG_LINE.matcher(l).matches()).count(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
