package dev.breakwater.resilience.shared;

import dev.breakwater.resilience.Backoff;
import dev.breakwater.resilience.RetrySettings;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This replica's membership of one Redis pub/sub channel, kept up by its owner's worker calling
 * {@link #keepJoined()}. Each attempt takes a connection of its own, installs its handlers and only then
 * sends SUBSCRIBE, so the confirmation cannot slip past (the Quarkus subscriber installs its handler after
 * sending, and its Uni then never completes: "No handler waiting for message: [subscribe, …]"). The member
 * is joined once Redis confirms. It is lost when that connection ends (in a Redis Cluster the client's
 * connection spans every node, so any node's death ends it), when no confirmation comes within a timeout,
 * or when a hello it published does not come back (deaf). A lost attempt's connection is always closed, so
 * no stale subscription lingers on a surviving node, and joining is retried with a short jittered back-off.
 */
public final class ChannelMembership {

    /** Where the member stands: never joined yet, joined, or lost after having been joined (re-joining). */
    public enum State {
        JOINING, JOINED, LOST;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the channel tells its owner, on a Redis client thread: each must only touch memory or hand over. */
    public interface Listener {
        void joined();

        void lost();

        void message(String text);
    }

    /** How long to wait for a confirmation, how often to say hello while joined, how long a hello may take. */
    record Timings(Duration confirm, Duration heartbeat, Duration deafAfter) {
        static final Timings DEFAULT = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** Every member's hello starts so; owners never see them. */
    private static final String HELLO = "membership-hello|";
    private static final Backoff REJOIN = new Backoff(new RetrySettings(0, Duration.ofMillis(250),
            Duration.ofSeconds(2), 2, Duration.ofMillis(100)), () -> ThreadLocalRandom.current().nextDouble());

    private final String name;
    private final String channel;
    private final Redis client;
    private final SharedRedis redis;
    private final Listener listener;
    private final Timings timings;
    private final String hello = HELLO + UUID.randomUUID();

    private final long origin = System.nanoTime();

    /** The current attempt; connections of any other are closed and their events ignored. */
    private volatile Attempt attempt;
    private volatile State state = State.JOINING;
    private volatile boolean closed;
    private int failures;
    private long nextAttemptAt;
    private long nextHelloAt;
    private long lostAt;
    /** When the oldest hello not yet heard back was sent; 0 when none is outstanding. */
    private volatile long helloPendingSince;

    /** {@code name} says what the channel is for in logs; hellos are published through {@code redis}. */
    public ChannelMembership(String name, String channel, Redis client, SharedRedis redis, Listener listener) {
        this(name, channel, client, redis, listener, Timings.DEFAULT);
    }

    ChannelMembership(String name, String channel, Redis client, SharedRedis redis, Listener listener,
                      Timings timings) {
        this.name = name;
        this.channel = channel;
        this.client = client;
        this.redis = redis;
        this.listener = listener;
        this.timings = timings;
    }

    public State state() {
        return state;
    }

    public boolean joined() {
        return state == State.JOINED;
    }

    /** Called from the owner's worker on every tick: starts, times out, checks or re-starts the subscription. */
    public void keepJoined() {
        long now = now();
        Attempt start = null;
        Attempt stale = null;
        String why = null;
        boolean sayHello = false;
        synchronized (this) {
            Attempt current = attempt;
            if (closed) {
                return;
            }
            if (current == null) {
                if (now >= nextAttemptAt) {
                    start = new Attempt(now);
                    attempt = start;
                }
            } else if (!current.confirmed) {
                if (now - current.started > timings.confirm().toMillis()) {
                    stale = current;
                    why = "no confirmation within " + timings.confirm().toMillis() + " ms";
                }
            } else if (helloPendingSince > 0 && now - helloPendingSince > timings.deafAfter().toMillis()) {
                stale = current;
                why = "its own hello did not come back within " + timings.deafAfter().toMillis() + " ms";
            } else if (now >= nextHelloAt) {
                nextHelloAt = now + timings.heartbeat().toMillis();
                sayHello = true;
            }
        }
        if (start != null) {
            connect(start);
        } else if (stale != null) {
            end(stale, why);
        } else if (sayHello) {
            sayHello(now);
        }
    }

    /** Pending before it is sent: the hello may come back before PUBLISH answers. */
    private void sayHello(long now) {
        boolean first = helloPendingSince == 0;
        if (first) {
            helloPendingSince = now;
        }
        if (redis.command("PUBLISH", channel, hello).isEmpty() && first) {
            helloPendingSince = 0; // never sent: nothing to wait for
        }
    }

    private void connect(Attempt a) {
        client.connect().subscribe().with(connection -> connected(a, connection), failure -> end(a, failure.toString()));
    }

    private void connected(Attempt a, RedisConnection connection) {
        synchronized (this) {
            if (a == attempt) {
                a.connection = connection;
                connection = null;
            }
        }
        if (connection != null) {
            connection.closeAndForget(); // the attempt was given up meanwhile
            return;
        }
        RedisConnection own = a.connection;
        own.handler(response -> receive(a, response));
        own.endHandler(() -> end(a, "connection closed"));
        own.exceptionHandler(failure -> end(a, failure.toString()));
        own.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).subscribe()
                .with(sent -> { }, failure -> end(a, failure.toString()));
    }

    private void receive(Attempt a, Response response) {
        if (a != attempt || response == null || response.size() < 2) {
            return;
        }
        String kind = response.get(0).toString();
        if ("subscribe".equalsIgnoreCase(kind)) {
            confirmed(a);
        } else if ("message".equalsIgnoreCase(kind) && response.size() >= 3) {
            String text = response.get(2).toString();
            if (text.equals(hello)) {
                helloPendingSince = 0;
            } else if (!text.startsWith(HELLO)) {
                listener.message(text);
            }
        }
    }

    private void confirmed(Attempt a) {
        State before;
        synchronized (this) {
            if (a != attempt || a.confirmed || closed) {
                return;
            }
            a.confirmed = true;
            failures = 0;
            helloPendingSince = 0;
            nextHelloAt = 0; // the next tick says hello: proof that messages reach this connection
            before = state;
            state = State.JOINED;
        }
        if (before == State.LOST) {
            Log.infof("%s channel: joined again after %d ms", name, now() - lostAt);
        } else {
            Log.debugf("%s channel: joined", name);
        }
        listener.joined();
    }

    /** Gives up an attempt (a no-op unless it is the current one), closes its connection and schedules the next. */
    private void end(Attempt a, String why) {
        boolean wasJoined;
        synchronized (this) {
            if (a != attempt) {
                return;
            }
            attempt = null;
            wasJoined = a.confirmed;
            helloPendingSince = 0;
            long now = now();
            nextAttemptAt = now + REJOIN.delayMillis(Math.min(failures++, 10), Optional.empty());
            if (wasJoined && !closed) {
                state = State.LOST;
                lostAt = now;
            }
        }
        if (a.connection != null) {
            a.connection.closeAndForget();
        }
        if (closed) {
            return;
        }
        if (wasJoined) {
            Log.warnf("%s channel lost (%s): messages from the other replicas do not reach this one until it joins again",
                    name, why);
            listener.lost();
        } else {
            Log.debugf("%s channel: cannot join yet (%s)", name, why);
        }
    }

    public void close() {
        Attempt current;
        synchronized (this) {
            closed = true;
            current = attempt;
        }
        if (current != null) {
            end(current, "closing");
        }
    }

    /** Milliseconds on a monotonic clock, from 1: 0 means "never" above. */
    private long now() {
        return (System.nanoTime() - origin) / 1_000_000 + 1;
    }

    /** One subscription attempt and its connection (set once connected, under the member's lock). */
    private static final class Attempt {
        final long started;
        volatile RedisConnection connection;
        volatile boolean confirmed;

        Attempt(long started) {
            this.started = started;
        }
    }
}
