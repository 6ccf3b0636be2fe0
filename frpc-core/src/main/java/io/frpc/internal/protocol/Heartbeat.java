package io.frpc.internal.protocol;

/**
 * A PING or its PONG, on a connection after the handshake.
 *
 * @param pong      whether this is the answer
 * @param timestamp the sender's event loop ticker when it sent the PING, echoed by the PONG
 */
public record Heartbeat(boolean pong, long timestamp) {
}
