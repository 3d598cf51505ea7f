package dev.breakwater.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Redis Cluster on loopback: three primaries and a replica each, from the Debian {@code redis-server}.
 * A short node timeout (1 s) makes a killed primary's replica take over within a few seconds.
 */
public final class RedisCluster extends LocalRedis {

    private final List<Integer> ports = new ArrayList<>();

    private RedisCluster(Path dir) {
        super(dir);
    }

    public static RedisCluster start(Path dir) throws IOException, InterruptedException {
        // A directory of this run's own: a node file left by an earlier run on the same port would be rejoined.
        RedisCluster cluster = new RedisCluster(Files.createTempDirectory(Files.createDirectories(dir), "run-"));
        try {
            for (int i = 0; i < 6; i++) {
                int port = freePort();
                cluster.ports.add(port);
                cluster.start(port, "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no");
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Process p = new ProcessBuilder(create).redirectErrorStream(true)
                    .redirectOutput(cluster.dir.resolve("cluster-create.log").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IOException("redis-cli --cluster create failed: see " + cluster.dir.resolve("cluster-create.log"));
            }
            Poll.await(cluster::healthy, 20_000, "the cluster's state is ok on every node");
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** For {@code quarkus.redis.hosts}: every node, so the client finds the cluster with any of them down. */
    public String hosts() {
        return ports.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The port of the primary that serves {@code key}'s slot now, as a live node sees the cluster; -1 while none does. */
    public int primaryOf(String key) {
        int live = ports.stream().filter(this::alive).findFirst().orElseThrow();
        int slot = Integer.parseInt(cli(live, "CLUSTER", "KEYSLOT", key));
        return primaryOfSlot(live, slot).orElse(-1);
    }

    private Optional<Integer> primaryOfSlot(int askedPort, int slot) {
        for (String line : cli(askedPort, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return Optional.of(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
                }
            }
        }
        return Optional.empty();
    }

    /** Every live node says cluster_state:ok. */
    public boolean healthy() {
        return ports.stream().filter(this::alive).allMatch(p -> cli(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }
}
