package dev.breakwater.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One Redis connection kept for the calls made on event loops ({@link GuardedRedis#evalNow}). Leasing one
 * from the client's pool per call costs two more event-loop hand-offs (the pool hands a lease over on the
 * connection's own loop, which then hands it back to the caller's), as much as the loopback round trip
 * itself. Connected on first use; after a failure that is not an error reply from Redis (connection lost,
 * no answer within the timeout) it is let go, and the next call connects afresh.
 */
final class HeldConnection {

    private final Supplier<Redis> client;
    private final AtomicReference<RedisConnection> held = new AtomicReference<>();

    HeldConnection(Supplier<Redis> client) {
        this.client = client;
    }

    /** The reply, failing on an error reply or after {@code timeoutMillis} (timed by the caller's event loop). */
    Future<Response> send(Request request, long timeoutMillis) {
        RedisConnection connection = held.get();
        if (connection != null) {
            return send(connection, request, timeoutMillis);
        }
        // A connection that comes after the timeout is still kept (or given back): none leaks from the pool.
        return client.get().connect().compose(fresh -> {
            if (held.compareAndSet(null, fresh)) {
                return send(fresh, request, timeoutMillis);
            }
            // Another call connected first: this one goes back to the pool after its one command.
            return fresh.send(request).eventually(() -> fresh.close());
        }).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private Future<Response> send(RedisConnection connection, Request request, long timeoutMillis) {
        return connection.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS).onFailure(failure -> {
            // An error reply (a Response) came over a working connection; anything else leaves it in doubt.
            if (!(failure instanceof Response) && held.compareAndSet(connection, null)) {
                connection.close();
            }
        });
    }
}
