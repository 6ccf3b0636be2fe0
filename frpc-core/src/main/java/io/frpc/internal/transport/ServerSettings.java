package io.frpc.internal.transport;

/**
 * Where the server listens.
 *
 * @param host interface to bind; {@code 0.0.0.0} for all
 * @param port TCP port; 0 picks a free one
 */
public record ServerSettings(String host, int port) {
}
