package io.frpc.status;

/**
 * Subscriptions other nodes hold on this node for one channel or pattern.
 *
 * @param channel     the channel name or pattern
 * @param state       whether they watch a state channel rather than messages
 * @param subscribers subscribed connections
 */
public record ChannelStatus(String channel, boolean state, int subscribers) {
}
