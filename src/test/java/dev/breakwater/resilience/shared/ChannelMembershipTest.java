package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.testing.LocalRedis;
import dev.breakwater.testing.Poll;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A member of a channel on a redis-server of the test's own (so it can be killed, restarted or made to
 * refuse SUBSCRIBE without disturbing the shared Redis), its {@link ChannelMembership#keepJoined()} ticked
 * every 50 ms as an owner's worker would.
 */
class ChannelMembershipTest {

    private static final String CHANNEL = "membership-test";
    /** Short timeouts, for the tests that wait for one to end an attempt or a membership. */
    private static final ChannelMembership.Timings FAST = new ChannelMembership.Timings(Duration.ofSeconds(1),
            Duration.ofMillis(200), Duration.ofMillis(600));
    /**
     * Frequent hellos, but seconds before a confirmation or a hello counts as missing: the tests that count
     * losses and joins must not see one a stalled machine made up.
     */
    private static final ChannelMembership.Timings STEADY = new ChannelMembership.Timings(Duration.ofSeconds(5),
            Duration.ofMillis(200), Duration.ofSeconds(5));

    private final Queue<String> messages = new ConcurrentLinkedQueue<>();
    private final AtomicInteger joins = new AtomicInteger();
    private final AtomicInteger losses = new AtomicInteger();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private Vertx vertx;
    private Redis client;
    private OwnRedis redis;
    private ChannelMembership member;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.shutdownNow();
        if (member != null) {
            member.close();
        }
        if (client != null) {
            client.close();
        }
        vertx.closeAndAwait();
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void joinsOnTheConfirmationAndHandsOverMessagesButNoHellos() throws Exception {
        join();
        redis.cli("PUBLISH", CHANNEL, "membership-hello|another-replica");
        redis.cli("PUBLISH", CHANNEL, "del key-1");
        await(() -> !messages.isEmpty(), "the message arrives");
        Thread.sleep(500); // a few heartbeats: this member's own hellos come back too
        assertEquals(List.of("del key-1"), List.copyOf(messages), "hellos, its own or a peer's, stay in the membership");
        assertEquals(ChannelMembership.State.JOINED, member.state());
    }

    @Test
    void aRedisRestartIsALossThenAJoinAgainWithExactlyOneSubscription() throws Exception {
        join();
        redis.kill();
        await(() -> losses.get() == 1, "the loss is reported");
        assertEquals(ChannelMembership.State.LOST, member.state());

        redis.restart();
        await(() -> joins.get() == 2, "joined again once Redis is back");
        assertEquals(ChannelMembership.State.JOINED, member.state());
        assertEquals("1", redis.cli("PUBSUB", "NUMSUB", CHANNEL).lines().toList().get(1), "one subscription, no stale one");
        redis.cli("PUBLISH", CHANNEL, "put key-2");
        await(() -> messages.contains("put key-2"), "messages flow again");
        assertEquals(1, losses.get());
    }

    @Test
    void anAttemptNeverConfirmedIsGivenUpAndItsConnectionClosed() throws Exception {
        redis = OwnRedis.start("--rename-command", "SUBSCRIBE", "SUBSCRIBE-DISABLED");
        member = member(CHANNEL, FAST);
        tick();
        Thread.sleep(4_000); // three attempts' worth of timeouts
        assertEquals(ChannelMembership.State.JOINING, member.state());
        assertEquals(0, joins.get());
        long connections = redis.cli("CLIENT", "LIST").lines().filter(l -> !l.contains("cmd=client")).count();
        assertTrue(connections <= 1, "given-up attempts leave no connection behind (" + connections + " open)");
    }

    @Test
    void aMemberThatStopsHearingItsOwnHellosLeavesAndJoinsAgain() throws Exception {
        redis = OwnRedis.start();
        // Hellos go to another channel: the subscription is confirmed, but this member never hears itself.
        member = member(CHANNEL + "-elsewhere", FAST);
        tick();
        await(() -> losses.get() >= 1 && joins.get() >= 2, "deafness is a loss, and a new subscription follows");
    }

    private void join() throws Exception {
        redis = OwnRedis.start();
        member = member(CHANNEL, STEADY);
        tick();
        await(() -> joins.get() == 1, "joined");
    }

    /** A member of {@link #CHANNEL} whose hellos are published on {@code helloChannel}. */
    private ChannelMembership member(String helloChannel, ChannelMembership.Timings timings) {
        client = Redis.createClient(vertx, redis.url());
        return new ChannelMembership("test", CHANNEL, client, port(helloChannel), listener(), timings);
    }

    private void tick() {
        worker.scheduleWithFixedDelay(member::keepJoined, 0, 50, TimeUnit.MILLISECONDS);
    }

    private ChannelMembership.Listener listener() {
        return new ChannelMembership.Listener() {
            @Override
            public void joined() {
                joins.incrementAndGet();
            }

            @Override
            public void lost() {
                losses.incrementAndGet();
            }

            @Override
            public void message(String text) {
                messages.add(text);
            }
        };
    }

    /** Hellos go through this test's client, to {@code channel} whatever channel the member names. */
    private SharedRedis port(String channel) {
        return new ClientPort(client) {
            @Override
            public Optional<String> command(String command, String... args) {
                String[] redirected = args.clone();
                redirected[0] = channel;
                return super.command(command, redirected);
            }
        };
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Poll.await(condition, 15_000, what);
    }

    /** One redis-server on a free port, in a directory of its own. */
    private static final class OwnRedis extends LocalRedis {

        private final int port;

        private OwnRedis(Path dir, int port) {
            super(dir);
            this.port = port;
        }

        static OwnRedis start(String... extra) throws IOException {
            OwnRedis redis = new OwnRedis(Files.createTempDirectory("membership-test"), freePort());
            List<String> args = new java.util.ArrayList<>(List.of("redis-server", "--port", Integer.toString(redis.port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
            args.addAll(List.of(extra));
            redis.start(redis.port, args.toArray(String[]::new));
            return redis;
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        String cli(String... args) {
            return cli(port, args);
        }

        void kill() throws InterruptedException {
            kill(port);
        }

        void restart() throws IOException {
            restart(port);
        }
    }
}
