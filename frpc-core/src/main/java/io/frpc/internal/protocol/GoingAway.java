package io.frpc.internal.protocol;

/**
 * The accepting node is shutting down gracefully: the connecting node routes no new calls to it, lets its
 * pending calls finish and then closes the connection.
 */
public record GoingAway() {
}
