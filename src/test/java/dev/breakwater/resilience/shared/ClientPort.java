package dev.breakwater.resilience.shared;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

import java.time.Duration;
import java.util.Optional;

/** The {@link SharedRedis} port straight over a Redis client, without the gateway's guard: for unit tests. */
class ClientPort implements SharedRedis {

    private final Redis client;

    ClientPort(Redis client) {
        this.client = client;
    }

    @Override
    public Optional<String> command(String command, String... args) {
        Request request = Request.cmd(Command.create(command));
        for (String arg : args) {
            request.arg(arg);
        }
        try {
            var reply = client.send(request).await().atMost(Duration.ofSeconds(2));
            return Optional.of(reply == null ? "" : reply.toString());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String guardService() {
        return "redis";
    }

    @Override
    public boolean answering() {
        return true;
    }
}
