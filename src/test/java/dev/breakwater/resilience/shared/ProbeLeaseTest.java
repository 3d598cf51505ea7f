package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

/**
 * The lease protocol against the Redis at 127.0.0.1:6379 (keys of this run's own prefix): a lease is only
 * ever renewed or released by the replica that holds it, and an opening never takes a peer's lease.
 */
class ProbeLeaseTest {

    private static final String SERVICE = "gpt-4o";
    private static Vertx vertx;
    private static Redis client;
    private final SharedKeys keys = new SharedKeys("breakwater-lease-test-" + UUID.randomUUID());
    private final ProbeLease a = lease("replica-a");
    private final ProbeLease b = lease("replica-b");

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void disconnect() {
        client.close();
        vertx.closeAndAwait();
    }

    @Test
    void anOpeningTakesAFreeLeaseButNeverAPeersOne() {
        assertEquals(Optional.of(true), a.open(SERVICE, 3_000, 5_000), "A opens and takes the free lease");
        assertEquals(Optional.of(false), b.open(SERVICE, 3_000, 5_000), "B's opening leaves A's lease alone");
        assertEquals("replica-a", get(keys.probe(SERVICE)));
        assertEquals(Optional.of(false), b.acquire(SERVICE, 1_000));
        assertEquals(Optional.of(true), a.acquire(SERVICE, 1_000), "the holder's claim holds");
    }

    @Test
    void onlyTheHolderRenewsOrReleasesTheLease() {
        assertEquals(Optional.of(true), a.acquire(SERVICE, 1_000), "SET NX on a free lease");
        assertEquals(Optional.of(false), b.renew(SERVICE, 60_000), "a peer cannot renew it");
        assertTrue(pttl(keys.probe(SERVICE)) <= 1_000, "nor lengthen it");
        b.close(SERVICE);
        assertEquals("replica-a", get(keys.probe(SERVICE)), "a peer's close leaves it in place");

        assertEquals(Optional.of(true), a.renew(SERVICE, 60_000));
        assertTrue(pttl(keys.probe(SERVICE)) > 1_000, "the holder lengthened it");
        assertEquals(Optional.of(true), a.renew(SERVICE, 1_000));
        assertTrue(pttl(keys.probe(SERVICE)) > 1_000, "a renewal never shortens it");

        a.close(SERVICE);
        assertEquals("", get(keys.probe(SERVICE)), "the holder's close releases it");
        assertEquals(Optional.of(true), b.acquire(SERVICE, 1_000), "free for the next");
    }

    @Test
    void aReleaseFreesOnlyTheCallersOwnLease() {
        assertEquals(Optional.of(true), a.acquire(SERVICE, 5_000));
        b.release(SERVICE);
        assertEquals("replica-a", get(keys.probe(SERVICE)), "a peer's release leaves it in place");
        a.release(SERVICE);
        assertEquals("", get(keys.probe(SERVICE)), "the holder's release frees it");
        assertEquals(Optional.of(true), b.acquire(SERVICE, 1_000), "free for the next");
    }

    @Test
    void anOpeningIsStoredAsTheTimeLeftOfIt() {
        assertEquals(Optional.of(0L), a.openRemaining(SERVICE), "nothing stored yet");
        a.open(SERVICE, 3_000, 5_000);
        long left = b.openRemaining(SERVICE).orElseThrow();
        assertTrue(left > 2_000 && left <= 3_000, "a duration, whatever the reader's clock: " + left);
        a.close(SERVICE);
        assertEquals(Optional.of(0L), b.openRemaining(SERVICE), "closed for everyone");
    }

    @Test
    void withRedisUnreachableEveryAnswerIsEmptyAndCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SharedRedis down = new ClientPort(client) {
            @Override
            public Optional<String> command(String command, String... args) {
                return Optional.empty();
            }
        };
        ProbeLease lease = new ProbeLease(new SharedStateErrors(down, meters), keys, "replica-c");
        assertEquals(Optional.empty(), lease.acquire(SERVICE, 1_000));
        assertEquals(Optional.empty(), lease.open(SERVICE, 1_000, 2_000));
        assertEquals(2.0, meters.get("breakwater.shared_state.errors").tag("kind", "redis").counter().count());
    }

    private ProbeLease lease(String replica) {
        return new ProbeLease(new SharedStateErrors(new ClientPort(client), new SimpleMeterRegistry()), keys, replica);
    }

    private static String get(String key) {
        return new ClientPort(client).command("GET", key).orElseThrow();
    }

    private static long pttl(String key) {
        return Long.parseLong(new ClientPort(client).command("PTTL", key).orElseThrow());
    }
}
