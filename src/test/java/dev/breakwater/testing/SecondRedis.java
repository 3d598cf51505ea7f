package dev.breakwater.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Redis of the test's own on a free port, so a test can stop it and watch the gateway carry on
 * without disturbing the shared Redis at 6379.
 */
public class SecondRedis implements QuarkusTestResourceLifecycleManager {

    private static Process process;
    private static int port;
    private static Path dir;

    /** Init arg {@code durable=true}: every write is fsynced to an append-only file, so a killed server restarts with its data. */
    @Override
    public void init(Map<String, String> initArgs) {
        try {
            dir = Boolean.parseBoolean(initArgs.get("durable")) ? Files.createTempDirectory("second-redis") : null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        launch();
        return Map.of("quarkus.redis.hosts", url());
    }

    public static String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port, after {@link #kill()}. */
    public static void restart() {
        launch();
    }

    private static void launch() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", ""));
        command.addAll(dir == null ? List.of("--appendonly", "no")
                : List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server must be installed (bin/test installs it)", e);
        }
        awaitListening();
    }

    private static void awaitListening() {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("second redis did not start on port " + port);
    }

    /** Kills the server: from now on every Redis call of the gateway fails. */
    public static void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
