package dev.breakwater.resilience.shared;

import io.vertx.mutiny.redis.client.Redis;

/**
 * The breaker channel: {@link PeerMessage}s over this replica's {@link ChannelMembership}. A replica's
 * own messages come back to it and are dropped here; joining, losing and re-joining are the membership's.
 */
final class PeerChannel implements ChannelMembership.Listener {

    /** What the channel tells its owner, on a Redis client thread: each must only touch memory. */
    interface Listener {
        void joined();

        void fromPeer(PeerMessage message);
    }

    private final SharedStateErrors redis;
    private final String channel;
    private final String replicaId;
    private final Listener listener;
    private final ChannelMembership membership;

    PeerChannel(Redis client, SharedRedis port, SharedStateErrors redis, String channel, String replicaId,
                Listener listener) {
        this.redis = redis;
        this.channel = channel;
        this.replicaId = replicaId;
        this.listener = listener;
        this.membership = new ChannelMembership("breaker", channel, client, port, this);
    }

    ChannelMembership.State state() {
        return membership.state();
    }

    boolean listening() {
        return membership.joined();
    }

    void publish(PeerMessage message) {
        redis.command("PUBLISH", channel, message.encode());
    }

    /** Called from the worker's tick. */
    void keepJoined() {
        membership.keepJoined();
    }

    @Override
    public void joined() {
        listener.joined();
    }

    /**
     * Nothing to undo: openings and the probe lease live in Redis, not on the channel, so a replica that
     * cannot hear its peers keeps following what it knew and still probes only under the lease. Falling back
     * to its own breakers would send its traffic to a model a peer holds open and, past the recovery, probe
     * beside the lease's holder.
     */
    @Override
    public void lost() {
    }

    @Override
    public void message(String text) {
        PeerMessage.decode(text).filter(m -> !m.replica().equals(replicaId)).ifPresent(listener::fromPeer);
    }

    void close() {
        membership.close();
    }
}
