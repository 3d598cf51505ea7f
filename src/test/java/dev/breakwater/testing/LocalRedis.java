package dev.breakwater.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-server} processes of a test's own on free loopback ports, in a directory of its own, killed at
 * the end: the Redis topologies of the fleet tests (a cluster, a Sentinel set) are built from these. Never
 * touches the shared Redis at 6379. Talks to its nodes with {@code redis-cli}, so tests need no client of their own.
 */
public class LocalRedis implements AutoCloseable {

    protected final Path dir;
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
    private final Map<Integer, List<String>> commands = new ConcurrentHashMap<>();

    protected LocalRedis(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code redis-server args...} on {@code port}, logging to the directory; remembered for {@link #restart}. */
    protected void start(int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(args));
        commands.put(port, command);
        processes.put(port, new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile()))
                .start());
        Poll.await(() -> listening(port), 10_000, "redis on " + port + " listens");
    }

    /** SIGKILL, as a crashed node or pod: no goodbye to its peers. */
    public void kill(int port) throws InterruptedException {
        Process p = processes.remove(port);
        if (p != null) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Starts a killed node again with its old arguments (a cluster node rejoins from its nodes file). */
    public void restart(int port) throws IOException {
        start(port, commands.get(port).toArray(String[]::new));
    }

    /** {@code redis-cli -p port args...}: its output trimmed, or "" when the node does not answer. */
    public String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public boolean alive(int port) {
        return processes.containsKey(port);
    }

    /** Subscribers of {@code channel} summed over the live nodes (in a cluster each counts its own). */
    public long subscribers(String channel) {
        long sum = 0;
        for (int port : processes.keySet()) {
            String[] lines = cli(port, "PUBSUB", "NUMSUB", channel).split("\n");
            if (lines.length == 2) {
                sum += Long.parseLong(lines[1].trim());
            }
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        for (int port : List.copyOf(processes.keySet())) {
            kill(port);
        }
    }

    /** A free port whose cluster-bus twin (port + 10000) is free too. */
    protected static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 50_000);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port pair");
    }

    private static boolean free(int port) {
        try (ServerSocket ignored = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
