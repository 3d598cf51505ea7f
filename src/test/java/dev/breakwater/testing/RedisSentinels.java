package dev.breakwater.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A Sentinel-managed primary and replica on loopback, watched by three sentinels (quorum 2). */
public final class RedisSentinels extends LocalRedis {

    public static final String MASTER_NAME = "breakwater";

    private final List<Integer> sentinels = new ArrayList<>();
    private int primary;
    private int replica;

    private RedisSentinels(Path dir) {
        super(dir);
    }

    public static RedisSentinels start(Path dir) throws IOException, InterruptedException {
        // A directory of this run's own: a node file left by an earlier run on the same port would be rejoined.
        RedisSentinels set = new RedisSentinels(Files.createTempDirectory(Files.createDirectories(dir), "run-"));
        try {
            set.primary = freePort();
            set.start(set.primary, server(set.primary));
            set.replica = freePort();
            List<String> replica = new ArrayList<>(List.of(server(set.replica)));
            replica.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(set.primary)));
            set.start(set.replica, replica.toArray(String[]::new));
            for (int i = 0; i < 3; i++) {
                int port = freePort();
                Path conf = set.dir.resolve("sentinel-" + port + ".conf");
                Files.writeString(conf, """
                        port %d
                        bind 127.0.0.1
                        sentinel monitor %s 127.0.0.1 %d 2
                        sentinel down-after-milliseconds %s 1000
                        sentinel failover-timeout %s 5000
                        """.formatted(port, MASTER_NAME, set.primary, MASTER_NAME, MASTER_NAME));
                set.sentinels.add(port);
                set.start(port, "redis-server", conf.toAbsolutePath().toString(), "--sentinel");
            }
            Poll.await(() -> set.cli(set.replica, "INFO", "replication").contains("master_link_status:up"), 10_000,
                    "the replica follows the primary");
            return set;
        } catch (IOException | RuntimeException e) {
            set.close();
            throw e;
        }
    }

    private static String[] server(int port) {
        return new String[] {"redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"};
    }

    /** For {@code quarkus.redis.hosts} with {@code client-type=sentinel}: the sentinels, not the data nodes. */
    public String hosts() {
        return sentinels.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public int primary() {
        return primary;
    }

    public int replica() {
        return replica;
    }

    /** The data node the sentinels name as primary now. */
    public int currentPrimary() {
        String[] reply = cli(sentinels.get(0), "SENTINEL", "get-master-addr-by-name", MASTER_NAME).split("\n");
        return reply.length == 2 ? Integer.parseInt(reply[1].trim()) : -1;
    }

    public List<Integer> dataNodes() {
        return List.of(primary, replica);
    }
}
