/**
 * Typed clients: a Java interface annotated {@link io.frpc.client.FrpcClient} whose methods are the
 * commands of one module, checked when the client is created instead of on the remote node.
 */
package io.frpc.client;
